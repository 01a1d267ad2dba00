import GreenMineShared

extension APIErrorDetail {
    /// An API error's message in both languages, for a page (the English one where no Chinese is given;
    /// empty for no error).
    static func localized(_ detail: APIErrorDetail?) -> LocalizedText {
        LocalizedText(zh: detail?.messageZh ?? detail?.message ?? "", en: detail?.message ?? "")
    }
}
