//! Building a statement with bound values: every value a caller supplies (ids, statuses, the
//! teams of whoever asks) goes in as a `$n` parameter, never into the text, so one statement
//! text serves every caller and is prepared once.

use crate::{Engine, Value};

/// A statement being built: the values bound so far, numbered `$1`, `$2`… in order.
#[derive(Debug, Clone)]
pub struct Sql {
    engine: Engine,
    params: Vec<Value>,
}

impl Sql {
    /// An empty parameter list for a statement on `engine`.
    pub fn new(engine: Engine) -> Sql {
        Sql {
            engine,
            params: Vec::new(),
        }
    }

    /// The engine the statement is for.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Binds a value and returns its placeholder (`$3`).
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.params.push(value.into());
        format!("${}", self.params.len())
    }

    /// Binds a list of ids as one parameter and returns a subquery of them, for
    /// `column IN (…)`: the text stays the same however many ids there are.
    pub fn bind_ids(&mut self, ids: &[i64]) -> String {
        let list = format!(
            "[{}]",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        );
        let placeholder = self.bind(list);
        match self.engine {
            Engine::Sqlite => format!("(SELECT value FROM json_each({placeholder}))"),
            Engine::Postgres => format!(
                "(SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST({placeholder} AS TEXT)::json))"
            ),
        }
    }

    /// The bound values, in placeholder order.
    pub fn params(&self) -> &[Value] {
        &self.params
    }

    /// The bound values, owned.
    pub fn into_params(self) -> Vec<Value> {
        self.params
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_count_up_and_id_lists_are_one_parameter() {
        let mut sql = Sql::new(Engine::Sqlite);
        assert_eq!(sql.bind(7_i64), "$1");
        assert_eq!(
            sql.bind_ids(&[1, 2, 3]),
            "(SELECT value FROM json_each($2))"
        );
        assert_eq!(sql.bind("open"), "$3");
        assert_eq!(sql.params()[1], Value::Text("[1,2,3]".into()));
        let mut pg = Sql::new(Engine::Postgres);
        assert!(
            pg.bind_ids(&[])
                .contains("json_array_elements_text(CAST($1 AS TEXT)::json)")
        );
    }
}
