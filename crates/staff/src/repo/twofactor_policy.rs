//! SQL of the two-factor policy: the roles an admin requires to sign in with a second factor
//! (`two_factor_roles`, a handful of rows at most).

use tiski_domain::Role;
use tiski_kernel::{AppError, AppResult};
use tiski_store::{Conn, params};

/// The roles stored as requiring two-factor sign-in, in [`Role::ALL`] order.
pub(crate) fn required_roles(conn: &mut dyn Conn) -> AppResult<Vec<Role>> {
    let rows = conn.query("SELECT role FROM two_factor_roles", params![])?;
    let mut roles = Vec::new();
    for row in rows {
        let text: String = row.get(0)?;
        let role = Role::parse(&text)
            .map_err(|_| AppError::Corrupt(format!("two_factor_roles holds {text:?}")))?;
        roles.push(role);
    }
    Ok(Role::ALL
        .iter()
        .copied()
        .filter(|r| roles.contains(r))
        .collect())
}

/// Replaces the stored roles with `roles`.
pub(crate) fn replace(conn: &mut dyn Conn, roles: &[Role]) -> AppResult<()> {
    conn.execute("DELETE FROM two_factor_roles", params![])?;
    for role in roles {
        conn.execute(
            "INSERT INTO two_factor_roles (role) VALUES ($1)",
            params![role.as_str()],
        )?;
    }
    Ok(())
}
