import Foundation

/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a mod-31 check character.
public enum CreditCode {
    /// The 31 characters a code may use, in value order (0-30); I, O, S, V and Z are never used.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// The weights of positions 1-17: W_i = 3^(i-1) mod 31.
    public static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The letters GB 32100 leaves out because they look like digits or other letters.
    static let forbiddenLetters: Set<Character> = ["I", "O", "S", "V", "Z"]

    /// The value (0-30) of each alphabet character.
    static let values: [Character: Int] = Dictionary(
        uniqueKeysWithValues: alphabet.enumerated().map { ($0.element, $0.offset) }
    )

    /// Checks a code; nil when valid, else `credit_code_length`, `credit_code_character` or `credit_code_check`.
    public static func validate(_ code: String) -> RuleViolation? {
        let characters = Array(code)
        guard characters.count == 18 else {
            return lengthViolation(characters)
        }
        for (offset, character) in characters.enumerated() where values[character] == nil {
            return characterViolation(character, position: offset + 1)
        }
        guard let expected = checkCharacter(forFirst17: String(characters.prefix(17))) else {
            return nil  // unreachable: the first 17 characters were just checked
        }
        guard characters[17] == expected else {
            return RuleViolation(
                code: "credit_code_check",
                zh: "统一社会信用代码校验位（第18位）错误：按前17位计算应为“\(expected)”，实际为“\(characters[17])”",
                en: "The check character (position 18) of the unified social credit code is wrong: the first 17 characters give “\(expected)”, found “\(characters[17])”"
            )
        }
        return nil
    }

    /// The check character (position 18) for the first 17 characters; nil unless they are exactly 17 alphabet characters.
    public static func checkCharacter(forFirst17 first17: String) -> Character? {
        let characters = Array(first17)
        guard characters.count == 17 else { return nil }
        var sum = 0
        for (character, weight) in zip(characters, weights) {
            guard let value = values[character] else { return nil }
            sum += value * weight
        }
        let check = (31 - sum % 31) % 31
        return alphabet[check]
    }

    /// The `credit_code_length` violation, pointing at a space or invisible character that may explain the count.
    static func lengthViolation(_ characters: [Character]) -> RuleViolation {
        if characters.isEmpty {
            return RuleViolation(
                code: "credit_code_length",
                zh: "统一社会信用代码为空，应为18位",
                en: "The unified social credit code is empty; it must have 18 characters"
            )
        }
        var zhHint = ""
        var enHint = ""
        if let offset = characters.firstIndex(where: IdentifierCharacters.isInvisible) {
            let shown = IdentifierCharacters.describe(characters[offset])
            zhHint = "（第\(offset + 1)位是\(shown.zh)，请删除）"
            enHint = " (position \(offset + 1) is \(shown.en); remove it)"
        }
        return RuleViolation(
            code: "credit_code_length",
            zh: "统一社会信用代码应为18位，实际为\(characters.count)位\(zhHint)",
            en: "The unified social credit code must have 18 characters, found \(characters.count)\(enHint)"
        )
    }

    /// The `credit_code_character` violation for a character outside the alphabet, with the reason.
    static func characterViolation(_ character: Character, position: Int) -> RuleViolation {
        let shown = IdentifierCharacters.describe(character)
        let zhReason: String
        let enReason: String
        if IdentifierCharacters.isLowercaseLetter(character) {
            let upper = character.uppercased()
            zhReason = "字母须为大写（应为“\(upper)”）"
            enReason = "letters in the code must be uppercase (“\(upper)”)"
            if let letter = upper.first, forbiddenLetters.contains(letter) {
                return RuleViolation(
                    code: "credit_code_character",
                    zh: "统一社会信用代码第\(position)位是小写字母\(shown.zh)；该代码只用大写字母，且不使用 I、O、S、V、Z",
                    en: "Position \(position) of the unified social credit code is the lowercase letter \(shown.en); the code uses uppercase letters only and never I, O, S, V or Z"
                )
            }
        } else if forbiddenLetters.contains(character) {
            zhReason = "不使用字母 I、O、S、V、Z"
            enReason = "the code never uses the letters I, O, S, V or Z"
        } else {
            zhReason = "只允许数字0-9和大写字母（不含 I、O、S、V、Z）"
            enReason = "only digits 0-9 and uppercase letters other than I, O, S, V and Z are allowed"
        }
        return RuleViolation(
            code: "credit_code_character",
            zh: "统一社会信用代码第\(position)位的字符\(shown.zh)无效：\(zhReason)",
            en: "Position \(position) of the unified social credit code holds \(shown.en), which is not allowed: \(enReason)"
        )
    }
}
