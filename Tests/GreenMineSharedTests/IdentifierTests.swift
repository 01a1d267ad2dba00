import Foundation
import Testing
@testable import GreenMineShared

@Suite("Unified social credit code")
struct CreditCodeTests {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// Makes a valid code from 17 characters by appending the computed check character.
    static func make(_ first17: String) -> String? {
        CreditCode.checkCharacter(forFirst17: first17).map { first17 + String($0) }
    }

    /// The check character computed independently of the implementation, straight from GB 32100.
    static func referenceCheck(_ first17: String) -> Character? {
        var sum = 0
        for (index, character) in first17.enumerated() {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            var weight = 1
            for _ in 0..<index { weight = weight * 3 % 31 }
            sum += value * weight
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    static let first17s = [
        "91410100MA3X00000",  // 河南 enterprise, 2016-style organisation number
        "9141000017000000Y",
        "91419001MA40ABCDE",
        "12100000400000000",
        "5311000050000000H",
        "Y1110108000000000",
        "00000000000000000",
        "YYYYYYYYYYYYYYYYY",
    ]

    @Test func weightsFollowTheStandard() {
        let expected = (0..<17).map { index in (0..<index).reduce(1) { weight, _ in weight * 3 % 31 } }
        #expect(CreditCode.weights == expected)
        #expect(CreditCode.alphabet == Self.alphabet)
    }

    @Test(arguments: first17s)
    func computedCodesAreValid(first17: String) throws {
        let check = try #require(CreditCode.checkCharacter(forFirst17: first17))
        #expect(check == Self.referenceCheck(first17))
        let code = first17 + String(check)
        #expect(CreditCode.validate(code) == nil)
    }

    @Test func checkValueThirtyOneBecomesZero() throws {
        // Σ C_i·W_i ≡ 0 (mod 31) gives 31 - 0 = 31, written as 0.
        #expect(CreditCode.checkCharacter(forFirst17: "00000000000000000") == "0")
    }

    @Test func everyCheckValueCanOccur() {
        // Changing position 1 by one step moves the sum by W_1 = 1, so 31 consecutive values hit every check value.
        let checks = Set(Self.alphabet.compactMap { CreditCode.checkCharacter(forFirst17: String($0) + "1410100MA3X00000") })
        #expect(checks.count == 31)
    }

    @Test(arguments: [
        "91350100M000100Y43",  // the standard's published example code
        "914403001922038216",  // 华为技术有限公司
        "9144030071526726XG",  // 深圳市腾讯计算机系统有限公司
    ])
    func realCodesAreValid(code: String) {
        #expect(Self.referenceCheck(String(code.prefix(17))) == code.last)
        #expect(CreditCode.validate(code) == nil)
    }

    @Test func checkCharacterNeedsSeventeenAlphabetCharacters() {
        #expect(CreditCode.checkCharacter(forFirst17: "") == nil)
        #expect(CreditCode.checkCharacter(forFirst17: "9141010MA3X00000") == nil)
        #expect(CreditCode.checkCharacter(forFirst17: "91410100MA3X000000") == nil)
        #expect(CreditCode.checkCharacter(forFirst17: "91410100MA3X0000O") == nil)
        #expect(CreditCode.checkCharacter(forFirst17: "91410100ma3x00000") == nil)
    }

    @Test func everySinglePositionCorruptionRefused() throws {
        let valid = try #require(Self.make("91410100MA3X00000"))
        #expect(CreditCode.validate(valid) == nil)
        var refused = 0
        for position in 0..<18 {
            for replacement in Self.alphabet where replacement != Array(valid)[position] {
                var characters = Array(valid)
                characters[position] = replacement
                let corrupted = String(characters)
                let violation = CreditCode.validate(corrupted)
                #expect(violation?.code == "credit_code_check", "\(corrupted) should be refused")
                refused += 1
            }
        }
        #expect(refused == 18 * 30)
    }

    @Test func wrongCheckMessageGivesTheExpectedCharacter() throws {
        let valid = try #require(Self.make("91410100MA3X00000"))
        let expected = try #require(valid.last)
        let wrong: Character = expected == "0" ? "1" : "0"
        let violation = try #require(CreditCode.validate(String(valid.dropLast()) + String(wrong)))
        #expect(violation.code == "credit_code_check")
        #expect(violation.message.zh.contains("应为“\(expected)”"))
        #expect(violation.message.en.contains("give “\(expected)”"))
        #expect(violation.message.en.contains("found “\(wrong)”"))
    }

    @Test func lowercaseRefused() throws {
        let valid = try #require(Self.make("91410100MA3X00000"))
        let violation = try #require(CreditCode.validate(valid.lowercased()))
        #expect(violation.code == "credit_code_character")
        #expect(violation.message.zh.contains("第9位"))
        #expect(violation.message.zh.contains("大写"))
        #expect(violation.message.en.contains("Position 9"))
        #expect(violation.message.en.contains("“m”"))
        #expect(violation.message.en.contains("uppercase"))
    }

    @Test(arguments: ["I", "O", "S", "V", "Z"])
    func forbiddenLettersRefused(letter: String) throws {
        let violation = try #require(CreditCode.validate("91410100M" + letter + "3X000001"))
        #expect(violation.code == "credit_code_character")
        #expect(violation.message.zh.contains("第10位"))
        #expect(violation.message.zh.contains("“\(letter)”"))
        #expect(violation.message.en.contains("Position 10"))
        #expect(violation.message.en.contains("“\(letter)”"))
        #expect(violation.message.en.contains("I, O, S, V or Z"))
        let lower = try #require(CreditCode.validate("91410100M" + letter.lowercased() + "3X000001"))
        #expect(lower.code == "credit_code_character")
    }

    @Test(arguments: ["91410100MA3X00000-", "91410100MA3X0000 1", "９1410100MA3X000001", "91410100MA3X0000\u{200B}1"])
    func otherCharactersRefused(code: String) {
        #expect(CreditCode.validate(code)?.code == "credit_code_character")
    }

    @Test(arguments: ["", "9141010", "91350100M000100Y4", "91350100M000100Y433", " 91350100M000100Y43"])
    func wrongLengthRefused(code: String) throws {
        let violation = try #require(CreditCode.validate(code))
        #expect(violation.code == "credit_code_length")
        #expect(violation.message.en.contains("18"))
        #expect(violation.message.zh.contains("18位"))
    }

    @Test func lengthMessagePointsAtAStraySpace() {
        let violation = CreditCode.validate("91350100M000100Y43 ")
        #expect(violation?.code == "credit_code_length")
        #expect(violation?.message.en.contains("position 19 is a space") == true)
        #expect(violation?.message.zh.contains("第19位是空格") == true)
    }
}

@Suite("Mining licence number")
struct LicenceNumberTests {
    @Test(arguments: ["C4100002020011110149999", "C1000002011031110108520"])
    func currentFormatAccepted(number: String) {
        #expect(LicenceNumber.validate(number) == nil)
        #expect(LicenceNumber.isCurrentFormat(number))
    }

    @Test(arguments: ["4100000320054", "1000000720098", "C41000003200ABC", "A4100000320054", "4100000320054ABC", "1234567890", String(repeating: "9", count: 30)])
    func legacyAccepted(number: String) {
        #expect(LicenceNumber.validate(number) == nil)
        #expect(!LicenceNumber.isCurrentFormat(number))
    }

    @Test func isCurrentFormatIsStrict() {
        #expect(!LicenceNumber.isCurrentFormat("C410000202001111014999"))
        #expect(!LicenceNumber.isCurrentFormat("C41000020200111101499990"))
        #expect(!LicenceNumber.isCurrentFormat("B4100002020011110149999"))
        #expect(!LicenceNumber.isCurrentFormat("c4100002020011110149999"))
        #expect(!LicenceNumber.isCurrentFormat("C41000020200111101499９9"))
    }

    @Test(arguments: ["", "   "])
    func emptyRefused(number: String) {
        #expect(LicenceNumber.validate(number)?.code == "licence_empty")
    }

    @Test func lowercaseRefused() throws {
        let violation = try #require(LicenceNumber.validate("c4100002020011110149999"))
        #expect(violation.code == "licence_lowercase")
        #expect(violation.message.zh.contains("大写"))
        #expect(violation.message.en.contains("uppercase"))
        #expect(violation.message.en.contains("C4100002020011110149999"))
    }

    @Test(arguments: ["C410000 2020011110149999", " C4100002020011110149999", "C4100002020011110149999\t"])
    func spacesRefused(number: String) throws {
        let violation = try #require(LicenceNumber.validate(number))
        #expect(violation.code == "licence_format")
        #expect(violation.message.en.contains("no spaces"))
    }

    @Test(arguments: ["C4100002020-011110149999", "C4100002020/011110149999", "采矿C4100002020011110149", "Ｃ4100002020011110149999"])
    func otherCharactersRefused(number: String) throws {
        let violation = try #require(LicenceNumber.validate(number))
        #expect(violation.code == "licence_format")
        #expect(violation.message.en.contains("0-9"))
    }

    @Test(arguments: [("C410000202001111014999", 21), ("C41000020200111101499990", 23), ("C1", 1), ("C4100002020", 10)])
    func wrongDigitCountAfterCRefused(number: String, digits: Int) throws {
        let violation = try #require(LicenceNumber.validate(number))
        #expect(violation.code == "licence_format")
        #expect(violation.message.zh.contains("22位数字"))
        #expect(violation.message.en.contains("22 digits, found \(digits)"))
    }

    @Test(arguments: ["410000032", "A", "AB12", String(repeating: "1", count: 31)])
    func wrongLengthRefused(number: String) {
        #expect(LicenceNumber.validate(number)?.code == "licence_format")
    }
}

@Suite("Contact formats")
struct ContactFormatTests {
    @Test(arguments: ["13800138000", "19912345678", "15037100000", "17612345678"])
    func validMobiles(number: String) {
        #expect(ContactFormats.validateMobile(number) == nil)
        #expect(ContactFormats.validatePhone(number) == nil)
    }

    @Test(arguments: ["", "1380013800", "138001380000", "12800138000", "23800138000", "138 0013 8000", "+8613800138000", "138-0013-8000", "1380013800O"])
    func invalidMobiles(number: String) {
        #expect(ContactFormats.validateMobile(number)?.code == "mobile_format")
    }

    @Test func mobileMessagesArePrecise() {
        #expect(ContactFormats.validateMobile("12800138000")?.message.en.contains("second digit") == true)
        #expect(ContactFormats.validateMobile("1380013800")?.message.en.contains("found 10") == true)
        #expect(ContactFormats.validateMobile("138 0013 8000")?.message.zh.contains("第4位是空格") == true)
    }

    @Test(arguments: ["010-12345678", "01012345678", "021-1234567", "0371-6543210", "0371-65432100", "037165432100", "0755-88888888", "010-12345678-123", "0371-6543210-1"])
    func validFixedLines(number: String) {
        #expect(ContactFormats.validateFixedPhone(number) == nil)
        #expect(ContactFormats.validatePhone(number) == nil)
    }

    @Test(arguments: [
        "", "12345678", "010-123456", "010-123456789", "0371-654321", "0101-2345678", "037-16543210",
        "010--12345678", "010-12345678-", "010-12345678-1234567", "010-1234-5678-9", "(010)12345678",
        "010 12345678", "0371654321", "0", "010-",
    ])
    func invalidFixedLines(number: String) {
        #expect(ContactFormats.validateFixedPhone(number)?.code == "phone_format")
    }

    @Test func fixedLineMessagesArePrecise() {
        #expect(ContactFormats.validateFixedPhone("0101-2345678")?.message.en.contains("area code “0101” should have 3 digits") == true)
        #expect(ContactFormats.validateFixedPhone("010-123456")?.message.en.contains("7 or 8 digits, found 6") == true)
        #expect(ContactFormats.validateFixedPhone("(010)12345678")?.message.zh.contains("第1位") == true)
    }

    @Test(arguments: ["", "12800138000", "0371-654321", "+8613800138000", "95588", "abc"])
    func invalidPhones(number: String) {
        #expect(ContactFormats.validatePhone(number)?.code == "phone_format")
    }

    @Test(arguments: ["user@example.com", "zhang.san@mnr.gov.cn", "a@b.cn", "li_si+mine@163.com", "王@例子.中国"])
    func validEmails(address: String) {
        #expect(ContactFormats.validateEmail(address) == nil)
    }

    @Test(arguments: [
        ("", "empty"), ("user.example.com", "no “@”"), ("a@b@c.cn", "2 “@”"), ("@example.com", "before"),
        ("user@", "after"), ("user@localhost", "no “.”"), ("user@.cn", "empty part"), ("user@example.", "empty part"),
        ("user@exa..mple.cn", "empty part"), ("us er@example.com", "position 3"), ("user@example.com ", "white space"),
    ])
    func invalidEmails(address: String, detail: String) throws {
        let violation = try #require(ContactFormats.validateEmail(address))
        #expect(violation.code == "email_format")
        #expect(violation.message.en.contains(detail))
    }

    @Test(arguments: ["450000", "100010", "000000"])
    func validPostalCodes(code: String) {
        #expect(ContactFormats.validatePostalCode(code) == nil)
    }

    @Test(arguments: ["", "45000", "4500000", "45000O", "450 000", "４５００００"])
    func invalidPostalCodes(code: String) {
        #expect(ContactFormats.validatePostalCode(code)?.code == "postal_code_format")
    }
}

@Suite("UUID text")
struct UUIDTextTests {
    /// The store's form is Foundation's text to the byte, and the wire's is its lower case, for ids with
    /// every hex digit in every place (random ones) and for the two extremes.
    @Test func storedAndWireTextsAreFoundationsText() throws {
        var ids = (0..<2000).map { _ in UUID() }
        ids.append(try #require(UUID(uuidString: "00000000-0000-0000-0000-000000000000")))
        ids.append(try #require(UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")))
        for id in ids {
            #expect(id.storedString == id.uuidString)
            #expect(id.wireString == id.uuidString.lowercased())
            #expect(UUID(uuidString: id.wireString) == id)
            #expect(UUID(text: id.wireString) == id)
            #expect(UUID(text: id.storedString) == id)
            #expect(UUID(text: id.storedString[...]) == id)
        }
    }

    /// Mixed case parses as Foundation parses it.
    @Test func eitherCaseInAnyPlace() throws {
        for _ in 0..<500 {
            let text = String(UUID().uuidString.map { Bool.random() ? Character($0.lowercased()) : $0 })
            #expect(UUID(text: text) == UUID(uuidString: text))
            #expect(UUID(text: text) != nil)
        }
    }

    /// Only the canonical text: Foundation's `sscanf` takes the first five; nothing here does.
    @Test(arguments: [
        "+1234567-1234-1234-1234-123456789abc", " 1234567-1234-1234-1234-123456789abc",
        "0x345678-1234-1234-1234-123456789abc", "12345678-+234-1234-1234-123456789abc",
        "12345678-1234-1234-1234-12345678-abc",
        "12345678-1234-1234-1234-123456789abc ", "12345678-1234-1234-1234-123456789ab",
        "123456781234-1234-1234-123456789abc0", "12345678-1234-1234-1234-123456789abg", "",
        "12345678_1234_1234_1234_123456789abc", "１2345678-1234-1234-1234-123456789abc",
    ])
    func refusesAnythingElse(text: String) {
        #expect(UUID(text: text) == nil)
    }
}
