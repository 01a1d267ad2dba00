import Foundation
import GreenMineShared

/// The home page's support contact and downloads as text (`status`, `downloads`).
struct PortalPresenter {
    var context: CommandContext

    /// `技术支持：…` with every way to reach it, or that nothing was synced yet.
    func supportLine(_ portal: PortalResponse?) -> String {
        guard let portal else {
            return context.text("技术支持：尚未同步（greenmine sync 后显示）", "Technical support: not synced yet (shown after greenmine sync)")
        }
        guard let support = portal.support else {
            return context.text("技术支持：服务器未设置", "Technical support: none set by the server")
        }
        let parts = [support.name, support.phone.map { context.text("电话 \($0)", "phone \($0)") },
                     support.email.map { context.text("邮箱 \($0)", "email \($0)") }, support.hours].compactMap { $0 }
        return context.text("技术支持：", "Technical support: ")
            + parts.map(AttachmentName.visible).joined(separator: context.text("，", ", "))
    }

    /// One line per download: number, title, file name, size, for whom, when published.
    func downloadLines(_ downloads: [PortalDownload], indent: String = "  ") -> [String] {
        var table = TextTable(headers: [context.text("编号", "No."), context.text("标题", "Title"),
                                        context.text("文件", "File"), context.text("大小", "Size"),
                                        context.text("发布方", "From"), context.text("发布时间", "Published")])
        for download in downloads {
            table.append(["\(download.id)", AttachmentName.visible(download.title), AttachmentName.visible(download.name),
                          ByteSize.text(download.size), publisher(download.province), context.time(download.publishedAt)])
        }
        return table.render().split(separator: "\n").map { indent + $0 }
    }

    /// The ministry, or the province by name.
    func publisher(_ province: String?) -> String {
        guard let province else { return context.text("自然资源部", "the ministry") }
        return RegionTable.standard.displayPath(of: province)
    }
}
