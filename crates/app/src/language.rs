//! Language detection of customer text, restricted to the languages tiski serves.

/// The language of `text` (one of en, fi, pl, lt, tl), when it is clear enough; `None` for short or mixed text.
pub fn detect(text: &str) -> Option<&'static str> {
    use whatlang::Lang;
    let sample: String = text.chars().take(2000).collect();
    if sample.split_whitespace().count() < 3 {
        return None;
    }
    let detector = whatlang::Detector::with_allowlist(vec![
        Lang::Eng,
        Lang::Fin,
        Lang::Pol,
        Lang::Lit,
        Lang::Tgl,
    ]);
    let info = detector.detect(&sample)?;
    if info.confidence() < 0.2 {
        return None;
    }
    Some(match info.lang() {
        Lang::Fin => "fi",
        Lang::Pol => "pl",
        Lang::Lit => "lt",
        Lang::Tgl => "tl",
        _ => "en",
    })
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn detects_the_five_languages() {
        let cases = [
            (
                "Hello, my order has not arrived yet and I would like to know where it is.",
                "en",
            ),
            (
                "Hei, tilaukseni ei ole vielä saapunut. Voisitteko tarkistaa missä se on?",
                "fi",
            ),
            (
                "Dzień dobry, moje zamówienie jeszcze nie dotarło. Czy mogą Państwo sprawdzić?",
                "pl",
            ),
            (
                "Laba diena, mano užsakymas dar neatvyko. Ar galėtumėte patikrinti, kur jis yra?",
                "lt",
            ),
            (
                "Magandang araw po, hindi pa dumarating ang order ko. Pwede po bang tingnan kung nasaan na ito?",
                "tl",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(detect(text), Some(expected), "{text}");
        }
        assert_eq!(detect("ok"), None);
    }
}
