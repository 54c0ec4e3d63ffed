//! Bytes to text: UTF-8 with or without a BOM, UTF-16 with a BOM, and anything else detected (Excel on Windows
//! saves CSV as Windows-1252).

use std::borrow::Cow;

/// Decodes a text file. Valid UTF-8 is borrowed as is (minus a BOM); UTF-16 with a BOM is decoded; otherwise the
/// encoding is detected with chardetng and decoded with encoding_rs (never fails: undecodable bytes become U+FFFD).
/// Returns the text and the name of the encoding it was read in.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return (Cow::Borrowed(text), "UTF-8");
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, encoding.name());
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text, encoding.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(b"a,b\n").0, "a,b\n");
        assert_eq!(decode(b"\xEF\xBB\xBFa,b\n").0, "a,b\n");
    }

    #[test]
    fn windows_1252_is_detected() {
        // "Café Müller, Zoë" in Windows-1252: é = E9, ü = FC, ë = EB.
        let bytes = b"name,city\nCaf\xE9 M\xFCller,Zo\xEB\nRen\xE9e,K\xF6ln\n";
        let (text, encoding) = decode(bytes);
        assert_eq!(text, "name,city\nCafé Müller,Zoë\nRenée,Köln\n");
        assert_eq!(encoding, "windows-1252");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "a\tb\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).0, "a\tb\n");
    }
}
