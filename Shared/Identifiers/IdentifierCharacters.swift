import Foundation

/// Helpers shared by the identifier validators: ASCII classes and how to name a character in a message.
enum IdentifierCharacters {
    /// True for 0-9 (ASCII only; full-width digits are not digits here).
    static func isDigit(_ character: Character) -> Bool {
        ("0"..."9").contains(character) && character.isASCII
    }

    /// True for A-Z (ASCII only).
    static func isUppercaseLetter(_ character: Character) -> Bool {
        ("A"..."Z").contains(character) && character.isASCII
    }

    /// True for a-z (ASCII only).
    static func isLowercaseLetter(_ character: Character) -> Bool {
        ("a"..."z").contains(character) && character.isASCII
    }

    /// True when every character is an ASCII digit (and there is at least one).
    static func allDigits<C: Collection>(_ text: C) -> Bool where C.Element == Character {
        !text.isEmpty && text.allSatisfy(isDigit)
    }

    /// True for white space, control and format characters (which a message cannot show as themselves).
    static func isInvisible(_ character: Character) -> Bool {
        character.isWhitespace || character.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
        }
    }

    /// The character as a message shows it: “a”, a space, or “１” (U+FF11) for look-alikes and invisible ones.
    static func describe(_ character: Character) -> LocalizedText {
        let scalars = character.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
        if character == " " {
            return LocalizedText(zh: "空格", en: "a space")
        }
        if isInvisible(character) {
            return LocalizedText(zh: "不可见字符 \(scalars)", en: "the invisible character \(scalars)")
        }
        if character.isASCII {
            return LocalizedText(zh: "“\(character)”", en: "“\(character)”")
        }
        return LocalizedText(zh: "“\(character)”（\(scalars)）", en: "“\(character)” (\(scalars))")
    }
}
