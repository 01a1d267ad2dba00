import Foundation
import GreenMineShared

/// Why an upload failed for good, worded once (code, English, Chinese). The attaches that need the
/// blob are then kept as refused with this reason, so the user sees it in `sync`, `status` and `show`.
enum UploadMessages {
    static func missingLocally(_ name: String) -> APIErrorDetail {
        let shown = AttachmentName.visible(name)
        return APIErrorDetail(
            code: "blob_missing_locally",
            message: "“\(shown)” cannot be uploaded: its copy is missing from this device's blob store; nothing was attached — attach the file again",
            messageZh: "无法上传“\(shown)”：本机附件库中的副本已丢失，未添加该附件，请重新添加文件")
    }

    static func localCopyDamaged(_ name: String) -> APIErrorDetail {
        let shown = AttachmentName.visible(name)
        return APIErrorDetail(
            code: "hash_mismatch",
            message: "“\(shown)” was refused by the server: the bytes received do not have the file's SHA-256 (hash mismatch). The copy in this device's blob store is damaged and was removed; nothing was attached — attach the file again",
            messageZh: "服务器拒绝了“\(shown)”：收到的内容与文件的 SHA-256 不符（哈希不一致）。本机附件库中的副本已损坏并已删除，未添加该附件，请重新添加文件")
    }

    static func damagedInTransit(_ name: String) -> APIErrorDetail {
        let shown = AttachmentName.visible(name)
        return APIErrorDetail(
            code: "hash_mismatch",
            message: "“\(shown)” was damaged on the way to the server again and again and was refused (hash mismatch); nothing was attached — sync again on another network",
            messageZh: "“\(shown)”在传输中反复损坏，服务器拒绝接收（哈希不一致），未添加该附件；请换个网络再同步")
    }

    static func expired(_ name: String) -> APIErrorDetail {
        let shown = AttachmentName.visible(name)
        return APIErrorDetail(
            code: "upload_expired",
            message: "the server keeps forgetting the upload of “\(shown)”; nothing was attached — sync again later",
            messageZh: "服务器多次丢弃“\(shown)”的上传，未添加该附件；请稍后再同步")
    }

    static func serverHashDiffers(_ name: String, _ digest: String) -> APIErrorDetail {
        let shown = AttachmentName.visible(name)
        return APIErrorDetail(
            code: "hash_mismatch",
            message: "the server stored “\(shown)” under another SHA-256 (\(digest.prefix(12))…); nothing was attached",
            messageZh: "服务器保存的“\(shown)”的 SHA-256（\(digest.prefix(12))…）与本机不符，未添加该附件")
    }

    static func refused(_ name: String, _ detail: APIErrorDetail) -> APIErrorDetail {
        let shown = AttachmentName.visible(name)
        return APIErrorDetail(
            code: detail.code,
            message: "the server refused the upload of “\(shown)”: \(detail.message); nothing was attached",
            messageZh: "服务器拒绝上传“\(shown)”：\(detail.messageZh ?? detail.message)；未添加该附件")
    }
}
