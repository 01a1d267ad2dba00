import Foundation

extension ContactFormats {
    /// What is wrong with a mobile number, or nil.
    static func mobileProblem(_ number: String) -> LocalizedText? {
        let characters = Array(number)
        if characters.isEmpty {
            return LocalizedText(zh: "手机号为空", en: "The mobile number is empty")
        }
        if let offset = characters.firstIndex(where: { !IdentifierCharacters.isDigit($0) }) {
            let shown = IdentifierCharacters.describe(characters[offset])
            return LocalizedText(
                zh: "手机号第\(offset + 1)位是\(shown.zh)：手机号只能是11位数字，不含空格、“-”或“+86”",
                en: "Position \(offset + 1) of the mobile number is \(shown.en): a mobile number is 11 digits only, without spaces, “-” or “+86”"
            )
        }
        guard characters.count == 11 else {
            return LocalizedText(zh: "手机号应为11位数字，实际为\(characters.count)位", en: "A mobile number has 11 digits, found \(characters.count)")
        }
        guard characters[0] == "1" else {
            return LocalizedText(zh: "手机号应以1开头，实际以“\(characters[0])”开头", en: "A mobile number starts with 1, found “\(characters[0])”")
        }
        guard ("3"..."9").contains(characters[1]) else {
            return LocalizedText(zh: "手机号第2位应为3-9，实际为“\(characters[1])”", en: "The second digit of a mobile number is 3-9, found “\(characters[1])”")
        }
        return nil
    }

    /// What is wrong with a fixed-line number, or nil (format in the `ContactFormats` documentation).
    static func fixedPhoneProblem(_ number: String) -> LocalizedText? {
        let example = "010-12345678、0371-6543210、010-12345678-123"
        let exampleEn = "010-12345678, 0371-6543210, 010-12345678-123"
        let characters = Array(number)
        if characters.isEmpty {
            return LocalizedText(zh: "固定电话为空", en: "The fixed-line number is empty")
        }
        if let offset = characters.firstIndex(where: { !IdentifierCharacters.isDigit($0) && $0 != "-" }) {
            let shown = IdentifierCharacters.describe(characters[offset])
            return LocalizedText(
                zh: "固定电话第\(offset + 1)位是\(shown.zh)：只能有数字和“-”（如 \(example)）",
                en: "Position \(offset + 1) of the fixed-line number is \(shown.en): only digits and “-” are allowed (e.g. \(exampleEn))"
            )
        }
        guard characters[0] == "0" else {
            return LocalizedText(zh: "固定电话应以区号开头，区号以0开头（如 \(example)）", en: "A fixed-line number starts with its area code, which starts with 0 (e.g. \(exampleEn))")
        }
        let groups = number.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if groups.contains(where: \.isEmpty) || groups.count > 3 {
            return LocalizedText(
                zh: "固定电话的“-”位置不对：格式为 区号-号码 或 区号-号码-分机号（如 \(example)）",
                en: "The “-” in the fixed-line number is misplaced: the form is area-number or area-number-extension (e.g. \(exampleEn))"
            )
        }
        let areaLength = (characters.count > 1 && (characters[1] == "1" || characters[1] == "2")) ? 3 : 4
        let area: String
        let local: String
        if groups.count == 1 {
            area = String(number.prefix(areaLength))
            local = String(number.dropFirst(areaLength))
        } else {
            area = groups[0]
            local = groups[1]
            guard area.count == areaLength else {
                return LocalizedText(
                    zh: "区号“\(area)”应为\(areaLength)位：以01、02开头的区号为3位（如010、021），其他为4位（如0371）",
                    en: "The area code “\(area)” should have \(areaLength) digits: codes starting 01 or 02 have 3 (e.g. 010, 021), all others 4 (e.g. 0371)"
                )
            }
        }
        guard (7...8).contains(local.count) else {
            return LocalizedText(
                zh: "区号\(area)后的电话号码应为7或8位，实际为\(local.count)位",
                en: "The number after area code \(area) should have 7 or 8 digits, found \(local.count)"
            )
        }
        if groups.count == 3, groups[2].count > 6 {
            return LocalizedText(zh: "分机号应为1-6位，实际为\(groups[2].count)位", en: "An extension has 1-6 digits, found \(groups[2].count)")
        }
        return nil
    }
}
