//! Small helpers over raw header text, shared by the classifiers.

/// One header field as it appeared: the name as written and the unfolded, trimmed value.
#[derive(Debug, Clone)]
pub(crate) struct RawHeader {
    pub name: String,
    pub value: String,
}

/// Unfolds a raw header value (continuation lines become one space) and trims it.
pub(crate) fn unfold(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (index, line) in raw.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if index > 0 {
            out.push(' ');
        }
        out.push_str(line.trim());
    }
    out.trim().to_string()
}

/// The root headers of a parsed message, in order, with unfolded values.
pub(crate) fn root_headers(message: &mail_parser::Message<'_>) -> Vec<RawHeader> {
    let Some(root) = message.parts.first() else {
        return Vec::new();
    };
    root.headers
        .iter()
        .filter_map(|header| {
            let raw = message
                .raw_message
                .get(header.offset_start as usize..header.offset_end as usize)?;
            Some(RawHeader {
                name: header.name.as_str().to_string(),
                value: unfold(&String::from_utf8_lossy(raw)),
            })
        })
        .collect()
}

/// Finds the first header called `name` (case-insensitive).
pub(crate) fn find<'a>(headers: &'a [RawHeader], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case(name))
        .map(|header| header.value.as_str())
}

/// Splits text made of header blocks (a `message/delivery-status` body, `text/rfc822-headers`)
/// into blocks of fields separated by blank lines. Folded lines are joined.
pub(crate) fn field_blocks(text: &str) -> Vec<Vec<RawHeader>> {
    let mut blocks = Vec::new();
    let mut current: Vec<RawHeader> = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = current.last_mut() {
                last.value.push(' ');
                last.value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim();
            if !name.is_empty() && !name.contains(' ') {
                current.push(RawHeader {
                    name: name.to_string(),
                    value: value.trim().to_string(),
                });
            }
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Strips angle brackets and whitespace from a message id.
pub(crate) fn clean_id(id: &str) -> Option<String> {
    let id = id.trim();
    let id = id.strip_prefix('<').unwrap_or(id);
    let id = id.strip_suffix('>').unwrap_or(id).trim();
    let id: String = id.chars().filter(|c| !c.is_control()).collect();
    if id.is_empty() { None } else { Some(id) }
}

/// Every `<…>` id in a header value such as `References`, or the bare value when it has none.
pub(crate) fn ids_in(value: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else { break };
        if let Some(id) = clean_id(&after[..close]) {
            ids.push(id);
        }
        rest = &after[close + 1..];
    }
    if ids.is_empty() {
        ids.extend(value.split_whitespace().filter_map(clean_id));
    }
    ids
}
