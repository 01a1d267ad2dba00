import GreenMineShared
import Testing

/// The one HTML escape both sides use: nothing a browser would read as markup gets through, however
/// the text clusters into Swift `Character`s.
@Suite struct HTMLEscapeTests {
    @Test func theFiveCharactersAreEscaped() {
        #expect(HTMLEscape.text(#"<a href="x" title='y'>&</a>"#)
                == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        #expect(HTMLEscape.text("长安区绿源石灰岩矿 ✓") == "长安区绿源石灰岩矿 ✓")
    }

    @Test func aCombiningMarkCannotHideAQuoteOrABracket() {
        // `"` + U+0301 is one Character in Swift, but the tokenizer still sees the bare quote.
        let quote = "x\"\u{301} onmouseover=alert(1) x=\"\u{301}"
        let escaped = HTMLEscape.text(quote)
        #expect(!escaped.unicodeScalars.contains("\""), "\(escaped.unicodeScalars.map { String($0.value, radix: 16) })")
        // A prepend mark (U+0600) before `<` clusters with it in Swift.
        let tag = "\u{600}<img src=x>\u{301}"
        let escapedTag = HTMLEscape.text(tag)
        #expect(!escapedTag.unicodeScalars.contains("<") && !escapedTag.unicodeScalars.contains(">"))
        #expect(escapedTag.unicodeScalars.contains("\u{600}") && escapedTag.unicodeScalars.contains("\u{301}"),
                "the marks themselves are kept")
    }
}
