//! Splitting a reply into what the sender wrote now and the history it quotes.
//!
//! Agents read tickets as a conversation; showing every reply with the whole thread quoted
//! below it buries the one new paragraph. The rules here are deliberately conservative: they
//! cut only at markers that mail clients write themselves (a reply header, an "Original
//! Message" separator, an Outlook header block, a trailing block of `>` lines, a `-- `
//! signature separator), and when a cut would leave nothing they cut nothing. Forwarded
//! messages are *not* cut: a customer who forwards something to support means it to be read.

/// One line of the text: where it starts (byte offset) and its content without line break.
struct Line<'a> {
    start: usize,
    text: &'a str,
}

/// Splits a plain-text reply into the new text and the quoted history.
///
/// Returns `(new, Some(quoted))` where `quoted` starts at the first marker of quoted history
/// or signature and runs to the end, and `new` is what comes before it with trailing
/// whitespace removed. A bottom-posted reply (attribution and one `>` block first, the answer
/// below) returns the answer as `new` and the block above it as `quoted`. Returns
/// `(text, None)`, unchanged, when there is no marker, when nothing would be left, and for
/// inline replies whose answers sit between `>` blocks, so that no answer is ever hidden.
///
/// Recognised markers, in any position: reply headers such as `On … wrote:`,
/// `Le … a écrit :`, `Am … schrieb …:`, `… kirjoitti:`, `… napisał(a):`, `… rašė:`,
/// `Noong …, sumulat si …:` and the date-and-address form `30.09.2017, 18.30, "Name" <a@b>:`
/// (also when the client wrapped them over up to four lines); `-----Original Message-----`
/// and its translations; an Outlook block (`From:` followed by `Sent:`/`To:`/`Subject:`, in
/// about twenty languages); a `-- ` signature separator. At the end: a block of lines
/// starting with `>`, with the attribution line just above it.
pub fn split_quoted(text: &str) -> (String, Option<String>) {
    let lines = split_lines(text);
    let Some(boundary) = find_boundary(&lines) else {
        return (text.to_string(), None);
    };
    let offset = lines[boundary].start;
    let new = text[..offset].trim_end();
    if new.trim().is_empty() {
        return bottom_post(text, &lines).unwrap_or_else(|| (text.to_string(), None));
    }
    if answers_below_quote(&lines, boundary) {
        return (text.to_string(), None);
    }
    (new.to_string(), Some(text[offset..].to_string()))
}

/// Whether the marker at `boundary` is an attribution whose `>` quote is followed by more
/// unquoted text: an inline or bottom-posted reply, where the answers sit below the quote and
/// cutting at the attribution would drop them.
fn answers_below_quote(lines: &[Line<'_>], boundary: usize) -> bool {
    let is_quote = |line: &Line<'_>| line.text.trim_start().starts_with('>');
    let is_blank = |line: &Line<'_>| line.text.trim().is_empty();
    // The attribution: up to four unquoted lines, then at most two blank lines, then `>`.
    let mut index = boundary;
    while index < lines.len()
        && index - boundary < 4
        && !is_blank(&lines[index])
        && !is_quote(&lines[index])
    {
        index += 1;
    }
    let mut blanks = 0;
    while index < lines.len() && is_blank(&lines[index]) && blanks < 2 {
        index += 1;
        blanks += 1;
    }
    if index == boundary || index >= lines.len() || !is_quote(&lines[index]) {
        return false;
    }
    for at in index..lines.len() {
        let line = &lines[at];
        if is_blank(line) || is_quote(line) {
            continue;
        }
        // A signature or a mailing-list footer below the quote is not an answer.
        let trimmed = line.text.trim();
        if trimmed.chars().count() >= 2 && trimmed.chars().all(|c| matches!(c, '-' | '_' | '=')) {
            return false;
        }
        // An unquoted line between two quoted ones is a quoted line the client wrapped.
        let wrapped =
            at > 0 && is_quote(&lines[at - 1]) && lines.get(at + 1).is_some_and(&is_quote);
        if !wrapped {
            return true;
        }
    }
    false
}

/// A bottom-posted reply: an optional attribution line, one block of `>` lines, then the
/// answer with no further quotes. Returns the answer and the quoted part before it.
/// Interleaved (inline) replies return `None` and are kept whole.
fn bottom_post(text: &str, lines: &[Line<'_>]) -> Option<(String, Option<String>)> {
    let is_quote = |line: &Line<'_>| line.text.trim_start().starts_with('>');
    let is_blank = |line: &Line<'_>| line.text.trim().is_empty();
    let mut index = lines.iter().position(|line| !is_blank(line))?;
    if !is_quote(&lines[index]) {
        // The attribution line (`On … wrote:`), possibly wrapped over a few lines.
        let quote_at = lines.iter().position(is_quote)?;
        if quote_at > index + 4 || lines[index..quote_at].iter().any(is_blank) {
            return None;
        }
        index = quote_at;
    }
    while index < lines.len() && (is_quote(&lines[index]) || is_blank(&lines[index])) {
        index += 1;
    }
    if index >= lines.len() || lines[index..].iter().any(is_quote) {
        return None;
    }
    let offset = lines[index].start;
    let answer = text[offset..].trim_end();
    if answer.trim().is_empty() {
        return None;
    }
    Some((answer.to_string(), Some(text[..offset].to_string())))
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let content = raw.strip_suffix('\n').unwrap_or(raw);
        let content = content.strip_suffix('\r').unwrap_or(content);
        lines.push(Line {
            start,
            text: content,
        });
        start += raw.len();
    }
    lines
}

/// Index of the first line of quoted history or signature.
fn find_boundary(lines: &[Line<'_>]) -> Option<usize> {
    for index in 0..lines.len() {
        let line = lines[index].text.trim();
        if lines[index].text.trim_end() == "--" || lines[index].text == "-- " {
            return Some(index);
        }
        if line.starts_with('>') {
            continue;
        }
        if is_original_message_separator(line) {
            return Some(index);
        }
        if let Some(start) = reply_header_ending_at(lines, index) {
            return Some(start);
        }
        if is_outlook_block(lines, index) {
            return Some(extend_block_upwards(lines, index));
        }
    }
    trailing_quote_block(lines)
}

/// `-----Original Message-----`, `-------- Message d'origine --------` and friends.
fn is_original_message_separator(line: &str) -> bool {
    const NAMES: &[&str] = &[
        "original message",
        "original",
        "ursprüngliche nachricht",
        "originalnachricht",
        "message d'origine",
        "message d’origine",
        "message original",
        "oprindelig besked",
        "oprindelig meddelelse",
        "opprinnelig melding",
        "ursprungligt meddelande",
        "alkuperäinen viesti",
        "oryginalna wiadomość",
        "wiadomość oryginalna",
        "originali žinutė",
        "pradinis laiškas",
        "originalus laiškas",
        "orihinal na mensahe",
        "orihinal na mensahe",
        "mensaje original",
        "messaggio originale",
        "mensagem original",
        "oorspronkelijk bericht",
        "исходное сообщение",
        "původní zpráva",
    ];
    let dashes = |c: char| c == '-' || c == '_' || c == '=' || c == ' ';
    if !(line.starts_with("--") && line.ends_with("--")) {
        return false;
    }
    let inner = line.trim_matches(dashes).to_lowercase();
    NAMES.contains(&inner.as_str())
}

/// Verbs that end a reply header (`… wrote:`), lower-case, without the colon.
const HEADER_VERBS: &[&str] = &[
    "wrote",
    "writes",
    "a écrit",
    "a ecrit",
    "schrieb",
    "kirjoitti",
    "napisał(a)",
    "napisał",
    "napisała",
    "napisal(a)",
    "napisal",
    "pisze",
    "rašė",
    "parašė",
    "rase",
    "sumulat",
    "ha scritto",
    "escribió",
    "escreveu",
    "skrev",
    "schreef",
    "написал(а)",
    "написал",
    "написала",
    "пишет",
    "napsal(a)",
    "napsal",
    "írta",
    "yazdı",
];

/// Verbs that may sit in the middle of a reply header, with the author after them:
/// `Am … schrieb Name <a@b>:`, `Noong … sumulat si Name <a@b>:`.
const MIDDLE_VERBS: &[&str] = &[
    " schrieb ",
    " skrev ",
    " schreef ",
    "sumulat si ",
    " a écrit",
    " wrote ",
    " napisał",
    " rašė",
    " kirjoitti",
];

/// Words that open reply headers, lower-case, with what follows them. A line starting
/// with a digit (a date) opens a header too.
const OPENERS: &[&str] = &[
    "on ", "le ", "am ", "el ", "em ", "il ", "in data ", "op ", "den ", "dnia ", "w dniu ",
    "noong ", "sa ", "ons ", "på ",
    // Finnish weekdays (Gmail: "pe 20. lokakuuta 2017 klo 17.50 …").
    "ma ", "ti ", "ke ", "to ", "pe ", "la ", "su ",
    // Polish weekdays (Gmail: "pt., 20 paź 2017 o 17:50 …").
    "pon., ", "wt., ", "śr., ", "czw., ", "pt., ", "sob., ", "niedz., ",
    // Russian weekdays (Gmail: "ср, 30 апр. 2025 г. в 15:19, …").
    "пн, ", "вт, ", "ср, ", "чт, ", "пт, ", "сб, ", "вс, ",
];

/// If line `end` ends a reply header, the index of the header's first line.
fn reply_header_ending_at(lines: &[Line<'_>], end: usize) -> Option<usize> {
    // Zoho frames the header in dashes: `---- On … wrote ----`.
    let last = lines[end].text.trim().trim_matches(['-', ' ']);
    let lower_last = last.to_lowercase();
    if !(last.ends_with(':') || last.ends_with('：') || lower_last.ends_with("wrote")) {
        return None;
    }
    // Walk up over the lines a client wrapped the header onto.
    let mut start = end;
    while start > 0 && end - start < 3 {
        if starts_with_opener(lines[start].text) {
            break;
        }
        let previous = lines[start - 1].text.trim();
        if previous.is_empty()
            || previous.starts_with('>')
            || previous.ends_with(['.', '!', '?', ':'])
            || previous.chars().count() > 120
        {
            break;
        }
        start -= 1;
    }
    (start..=end).find(|&first| is_reply_header(&join(lines, first, end)))
}

fn starts_with_opener(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    lower.starts_with(|c: char| c.is_ascii_digit()) || OPENERS.iter().any(|o| lower.starts_with(o))
}

fn join(lines: &[Line<'_>], start: usize, end: usize) -> String {
    lines[start..=end]
        .iter()
        .map(|line| line.text.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether one (joined) line reads as a reply header.
fn is_reply_header(header: &str) -> bool {
    let header = header.trim().trim_matches(['-', ' ']);
    if header.chars().count() > 400 {
        return false;
    }
    let lower = header.to_lowercase();
    let body = lower.trim_end_matches([':', '：', ' ']).trim_end();
    let has_digit = lower.chars().any(|c| c.is_ascii_digit());
    let has_at = lower.contains('@');
    if HEADER_VERBS.iter().any(|verb| body.ends_with(verb)) {
        // "On …, John wrote:" needs a date or an address, so that a sentence ending in
        // "wrote:" is not taken for a header.
        return has_digit || has_at;
    }
    if lower.ends_with(':') || lower.ends_with('：') {
        if MIDDLE_VERBS.iter().any(|verb| lower.contains(verb)) && (has_digit || has_at) {
            return true;
        }
        // `30.09.2017, 18.30, "John" <john@example.com>:`
        let before_colon = lower.trim_end_matches([':', '：', ' ']);
        if (before_colon.ends_with('>') || before_colon.ends_with(')')) && has_at && has_digit {
            return true;
        }
    }
    false
}

/// Outlook-style header block keys that name the sender, lower-case.
const FROM_KEYS: &[&str] = &[
    "from",
    "von",
    "de",
    "lähettäjä",
    "od",
    "nuo",
    "siuntėjas",
    "mula",
    "fra",
    "da",
    "van",
    "från",
    "от",
    "kimden",
    "feladó",
    "mittente",
    "remitente",
    "expéditeur",
    "odesílatel",
];

/// Outlook-style header block keys that follow the sender, lower-case.
const OTHER_KEYS: &[&str] = &[
    "sent",
    "date",
    "to",
    "cc",
    "subject",
    "reply-to",
    "gesendet",
    "datum",
    "an",
    "betreff",
    "envoyé",
    "envoyé le",
    "à",
    "a",
    "objet",
    "sujet",
    "copie à",
    "date d'envoi",
    "lähetetty",
    "päivämäärä",
    "vastaanottaja",
    "aihe",
    "kopio",
    "wysłano",
    "wysłane",
    "data",
    "do",
    "temat",
    "dw",
    "išsiųsta",
    "kam",
    "tema",
    "gavėjas",
    "ipinadala",
    "petsa",
    "para",
    "paksa",
    "kay",
    "enviado",
    "asunto",
    "assunto",
    "enviada em",
    "sendt",
    "dato",
    "til",
    "emne",
    "inviato",
    "oggetto",
    "verzonden",
    "aan",
    "onderwerp",
    "skickat",
    "till",
    "ämne",
    "отправлено",
    "дата",
    "кому",
    "тема",
    "odesláno",
    "komu",
    "předmět",
];

/// The key of a `Key: value` line, lower-case, ignoring bold markers and indentation.
fn header_key(line: &str) -> Option<String> {
    let line = line.trim().trim_start_matches('*');
    let colon = line.find(':')?;
    let key = line[..colon].trim().trim_end_matches('*').trim();
    if key.is_empty() || key.chars().count() > 25 {
        return None;
    }
    Some(key.to_lowercase())
}

/// Whether line `index` starts an Outlook header block: a sender key followed, within a
/// few lines, by at least one of the other keys.
fn is_outlook_block(lines: &[Line<'_>], index: usize) -> bool {
    let Some(key) = header_key(lines[index].text) else {
        return false;
    };
    if !FROM_KEYS.contains(&key.as_str()) {
        return false;
    }
    let mut loose_lines = 0;
    for line in lines.iter().skip(index + 1).take(8) {
        if line.text.trim().is_empty() {
            return false;
        }
        match header_key(line.text) {
            Some(key) if OTHER_KEYS.contains(&key.as_str()) => return true,
            _ => {
                loose_lines += 1;
                if loose_lines > 2 {
                    return false;
                }
            }
        }
    }
    false
}

/// Moves the start of an Outlook block up over separator lines (`____`, `----`, `====`) and
/// an adjacent `Message du : …` style line, so that they leave the new text too.
fn extend_block_upwards(lines: &[Line<'_>], index: usize) -> usize {
    let mut start = index;
    let mut adjacent = true;
    let mut cursor = index;
    while cursor > 0 {
        let previous = lines[cursor - 1].text.trim();
        if previous.is_empty() {
            adjacent = false;
            cursor -= 1;
            continue;
        }
        let dated_field = adjacent
            && header_key(previous).is_some()
            && previous.chars().any(|c| c.is_ascii_digit());
        if is_separator(previous) || dated_field {
            start = cursor - 1;
        } else {
            break;
        }
        adjacent = true;
        cursor -= 1;
    }
    start
}

fn is_separator(line: &str) -> bool {
    line.chars().count() >= 3
        && line
            .chars()
            .all(|c| matches!(c, '-' | '_' | '=' | '*' | ' '))
}

/// The trailing block of `>` lines (blank lines allowed inside), with the attribution line
/// directly above it.
fn trailing_quote_block(lines: &[Line<'_>]) -> Option<usize> {
    let last = lines
        .iter()
        .rposition(|line| !line.text.trim().is_empty())?;
    if !lines[last].text.trim_start().starts_with('>') {
        return None;
    }
    let mut first = last;
    let mut cursor = last;
    while cursor > 0 {
        let previous = lines[cursor - 1].text.trim_start();
        if previous.starts_with('>') {
            first = cursor - 1;
        } else if !previous.trim().is_empty() {
            break;
        }
        cursor -= 1;
    }
    if first > 0 {
        let above = lines[first - 1].text.trim();
        let lower = above.to_lowercase();
        if !above.is_empty()
            && (above.ends_with(':') || lower.contains('@') || starts_with_opener(above))
        {
            return Some(first - 1);
        }
    }
    Some(first)
}
