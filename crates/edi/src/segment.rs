//! Segments, delimiters, the tokenizer and the writer shared by both syntaxes.

/// The characters an interchange declares for its structure (X12: from ISA; EDIFACT: from
/// UNA or the defaults), kept so that answers are written the way the partner reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiters {
    /// Between the elements of a segment (`*`, `+`).
    pub element: char,
    /// Between the components of an element (`>`, `:`).
    pub component: char,
    /// Between repetitions of an element, when declared (left in the component's text).
    pub repetition: Option<char>,
    /// After every segment (`~`, `'`).
    pub segment: char,
    /// The EDIFACT release character (`?`): the next character is data. X12 has none.
    pub release: Option<char>,
    /// The decimal mark (EDIFACT `.` or `,`).
    pub decimal: char,
}

impl Delimiters {
    /// X12 as most partners write it: `*`, `>`, `^`, `~`.
    pub const X12: Delimiters = Delimiters {
        element: '*',
        component: '>',
        repetition: Some('^'),
        segment: '~',
        release: None,
        decimal: '.',
    };

    /// The EDIFACT defaults, in force when there is no UNA: `:+.? '`.
    pub const EDIFACT: Delimiters = Delimiters {
        element: '+',
        component: ':',
        repetition: None,
        segment: '\'',
        release: Some('?'),
        decimal: '.',
    };

    fn is_delimiter(&self, c: char) -> bool {
        c == self.element
            || c == self.component
            || c == self.segment
            || Some(c) == self.release
            || Some(c) == self.repetition
    }
}

/// One segment: its tag and its elements, each a list of components (an element without
/// components is a list of one). Element 1 is `elements[0]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Segment {
    /// The tag (`ST`, `PO1`, `UNH`).
    pub tag: String,
    /// The elements after the tag.
    pub elements: Vec<Vec<String>>,
}

impl Segment {
    /// A segment of simple elements.
    pub fn new(tag: &str, elements: &[&str]) -> Segment {
        Segment {
            tag: tag.to_string(),
            elements: elements.iter().map(|e| vec![e.to_string()]).collect(),
        }
    }

    /// A segment of composite elements.
    pub fn composite(tag: &str, elements: &[&[&str]]) -> Segment {
        Segment {
            tag: tag.to_string(),
            elements: elements
                .iter()
                .map(|e| e.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    /// The first component of element `n` (1-based), or `""` when absent.
    pub fn get(&self, n: usize) -> &str {
        self.component(n, 1)
    }

    /// Component `c` (1-based) of element `n` (1-based), or `""` when absent.
    pub fn component(&self, n: usize, c: usize) -> &str {
        n.checked_sub(1)
            .and_then(|n| self.elements.get(n))
            .and_then(|e| c.checked_sub(1).and_then(|c| e.get(c)))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Splits `text` into segments. CR and LF that are not delimiters are dropped wherever they
/// are (partners wrap lines, at 80 columns or after each segment); so is other whitespace
/// before a tag. The release character, when declared, makes the next character data.
pub(crate) fn tokenize(text: &str, d: &Delimiters) -> Vec<(Segment, usize)> {
    let mut out = Vec::new();
    let mut elements: Vec<Vec<String>> = vec![vec![String::new()]];
    let mut start = None;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        let fresh = start.is_none();
        if (c == '\r' || c == '\n') && !d.is_delimiter(c) {
            continue;
        }
        if fresh && c.is_whitespace() && !d.is_delimiter(c) {
            continue;
        }
        start.get_or_insert(at);
        let last = elements.last_mut().and_then(|e| e.last_mut());
        if Some(c) == d.release {
            if let (Some((_, next)), Some(last)) = (chars.next(), last) {
                last.push(next);
            }
        } else if c == d.segment {
            let segment = finish(std::mem::take(&mut elements));
            if !(segment.tag.is_empty() && segment.elements.is_empty()) {
                out.push((segment, start.unwrap_or(at)));
            }
            elements = vec![vec![String::new()]];
            start = None;
        } else if c == d.element {
            elements.push(vec![String::new()]);
        } else if c == d.component {
            if let Some(e) = elements.last_mut() {
                e.push(String::new());
            }
        } else if let Some(last) = last {
            last.push(c);
        }
    }
    if let Some(at) = start {
        out.push((finish(elements), at));
    }
    out
}

fn finish(mut elements: Vec<Vec<String>>) -> Segment {
    let tag = if elements.is_empty() {
        String::new()
    } else {
        elements.remove(0).join(":")
    };
    Segment {
        tag: tag.trim().to_string(),
        elements,
    }
}

/// Writes segments with `d`, each followed by the segment terminator (and a newline when
/// `newline`, unless the terminator is one). Trailing empty elements and components are left
/// out. With a release character, delimiters in data are released; without one (X12) they
/// cannot be written and become spaces.
pub fn write(segments: &[Segment], d: &Delimiters, newline: bool) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push_str(&segment.tag);
        let mut elements = segment.elements.clone();
        while elements
            .last()
            .is_some_and(|e| e.iter().all(|c| c.is_empty()))
        {
            elements.pop();
        }
        for element in &elements {
            out.push(d.element);
            let mut end = element.len();
            while end > 1 && element[end - 1].is_empty() {
                end -= 1;
            }
            for (i, component) in element[..end].iter().enumerate() {
                if i > 0 {
                    out.push(d.component);
                }
                escape(&mut out, component, d);
            }
        }
        out.push(d.segment);
        if newline && d.segment != '\n' {
            out.push('\n');
        }
    }
    out
}

fn escape(out: &mut String, text: &str, d: &Delimiters) {
    for c in text.chars() {
        let plain = (c == '\r' || c == '\n') && !d.is_delimiter(c);
        if plain {
            out.push(' ');
        } else if d.is_delimiter(c) {
            match d.release {
                Some(release) => {
                    out.push(release);
                    out.push(c);
                }
                None => out.push(' '),
            }
        } else {
            out.push(c);
        }
    }
}
