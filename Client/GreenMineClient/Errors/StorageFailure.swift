import Foundation
import GRDB
import GreenMineShared
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the disk or of SQLite under the home folder, in terms a user can act on: the one
/// place where SQLite result codes and `errno` values become error codes and messages (never SQL).
public struct StorageFailure: Error, Sendable, Hashable {
    /// What the disk or SQLite refused, by its cause.
    public enum Kind: String, Sendable, Hashable {
        /// SQLITE_FULL, ENOSPC, EDQUOT.
        case diskFull = "disk_full"
        /// SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH, EROFS, EACCES, EPERM.
        case readOnly = "home_read_only"
        /// SQLITE_IOERR, EIO.
        case ioError = "disk_error"
        /// SQLITE_CORRUPT, SQLITE_NOTADB.
        case damaged = "store_damaged"
        /// SQLITE_CANTOPEN.
        case unreadable = "home_unreadable"
        /// The store was made by a newer or older greenmine and must be migrated, which a
        /// read-only open never does.
        case needsUpgrade = "store_needs_upgrade"
        /// Anything else SQLite refused (the result code is kept, the SQL text never).
        case other = "store_error"

        /// True when a command that only reads may still try a read-only open after this failure.
        var allowsReading: Bool { self != .damaged && self != .needsUpgrade }
    }

    /// The cause.
    public var kind: Kind
    /// The home folder the failure happened in, when known.
    public var folder: String?
    /// A short technical cause for the details line (`SQLite 13`, `errno 28`), never SQL text.
    public var cause: String?

    public init(_ kind: Kind, folder: String?, cause: String? = nil) {
        self.kind = kind
        self.folder = folder
        self.cause = cause
    }

    /// The failure for a SQLite error; every `DatabaseError` has one. SQLite reports some writes
    /// a full disk refused as I/O errors (growing the WAL index, `SQLITE_IOERR_SHMSIZE`) or as
    /// "cannot open": on a file system with no free block left those are a full disk too.
    public init(_ error: DatabaseError, folder: String?) {
        var kind = Self.kind(sqlite: error.resultCode)
        if kind == .ioError || kind == .unreadable, let folder, Self.hasNoFreeSpace(folder) {
            kind = .diskFull
        }
        self.init(kind, folder: folder, cause: "SQLite \(error.extendedResultCode.rawValue)")
    }

    /// True when the file system holding `path` has no block left for this user.
    static func hasNoFreeSpace(_ path: String) -> Bool {
        var info = statvfs()
        guard statvfs(path, &info) == 0, info.f_blocks > 0 else { return false }
        return info.f_bavail == 0
    }

    /// The failure for a file-system error number, or nil when it says nothing about the disk or
    /// the folder's permissions (ENOENT, EEXIST, …).
    public init?(errno value: Int32, folder: String?) {
        guard let kind = Self.kind(errno: value) else { return nil }
        self.init(kind, folder: folder, cause: "errno \(value) (\(String(cString: strerror(value))))")
    }

    /// The failure a thrown error stands for: a `DatabaseError`, a POSIX error, or a Foundation
    /// file error whose cause is a full disk, a read-only folder or an I/O error.
    public static func from(_ error: any Error, folder: String?) -> StorageFailure? {
        switch error {
        case let failure as StorageFailure:
            guard failure.folder == nil, let folder else { return failure }
            return StorageFailure(failure.kind, folder: folder, cause: failure.cause)
        case let error as DatabaseError:
            return StorageFailure(error, folder: folder)
        case let error as POSIXError:
            return StorageFailure(errno: error.code.rawValue, folder: folder)
        default:
            return errnoValue(of: error as NSError).flatMap { StorageFailure(errno: $0, folder: folder) }
        }
    }

    /// SQLite primary result code → kind.
    static func kind(sqlite code: ResultCode) -> Kind {
        switch code {
        case .SQLITE_FULL: .diskFull
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: .readOnly
        case .SQLITE_IOERR: .ioError
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: .damaged
        case .SQLITE_CANTOPEN: .unreadable
        default: .other
        }
    }

    /// `errno` → kind, nil for errors that are not about the disk.
    static func kind(errno value: Int32) -> Kind? {
        switch value {
        case ENOSPC, EDQUOT: .diskFull
        case EROFS, EACCES, EPERM: .readOnly
        case EIO: .ioError
        default: nil
        }
    }

    /// The POSIX error number behind a Foundation error (its own, or its underlying error's).
    private static func errnoValue(of error: NSError) -> Int32? {
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError {
            return errnoValue(of: underlying)
        }
        guard error.domain == NSCocoaErrorDomain else { return nil }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileWriteOutOfSpace: return ENOSPC
        case .fileWriteVolumeReadOnly: return EROFS
        case .fileWriteNoPermission: return EACCES
        default: return nil
        }
    }

    /// The error as the user sees it: a stable code, both languages, no SQL text.
    public var clientError: ClientError {
        let zhFolder = folder.map { "（数据目录 \($0)）" } ?? ""
        let enFolder = folder.map { " (data folder \($0))" } ?? ""
        let details = cause.map { [LocalizedText(zh: "原因：\($0)", en: "cause: \($0)")] } ?? []
        switch kind {
        case .diskFull:
            return ClientError(
                code: kind.rawValue,
                zh: "本机磁盘已满，无法保存\(zhFolder)：请清理空间后重试；已保存的内容不受影响",
                en: "the disk is full, so nothing could be saved\(enFolder): free some space and try again; nothing saved before was lost",
                details: details)
        case .readOnly:
            let zhName = folder.map { "数据目录 \($0) " } ?? "数据目录"
            let enName = folder.map { "the data folder \($0)" } ?? "the data folder"
            return ClientError(
                code: kind.rawValue,
                zh: "\(zhName)是只读的，无法保存修改：请检查该目录的权限，或其所在磁盘是否以只读方式挂载；"
                    + "只读的命令（status、app show、app list 等）仍可使用；已保存的内容不受影响",
                en: "\(enName) is read-only, so nothing can be saved: check its permissions, or whether its disk is "
                    + "mounted read-only; commands that only read (status, app show, app list, …) still work; nothing saved before was lost",
                details: details)
        case .ioError:
            return ClientError(
                code: kind.rawValue,
                zh: "读写本机磁盘时出错\(zhFolder)：磁盘可能有故障或已断开；请检查磁盘后重试",
                en: "the disk reported an input/output error\(enFolder): it may be failing or disconnected; check it and try again",
                details: details)
        case .damaged:
            return ClientError(
                code: kind.rawValue,
                zh: "本地数据库已损坏，无法读取\(zhFolder)：请勿删除数据目录，先复制一份备份，再联系管理员",
                en: "the local store is damaged and cannot be read\(enFolder): do not delete the data folder; copy it somewhere safe and contact your administrator",
                details: details)
        case .unreadable:
            return ClientError(
                code: kind.rawValue,
                zh: "无法打开本地数据库\(zhFolder)：请检查数据目录是否存在、是否可读",
                en: "cannot open the local store\(enFolder): check that the data folder exists and can be read",
                details: details)
        case .needsUpgrade:
            return ClientError(
                code: kind.rawValue,
                zh: "本地数据库需要升级，但数据目录只能读取\(zhFolder)：请在可写入且有空闲空间的数据目录上运行一次 greenmine status",
                en: "the local store needs upgrading, but its data folder can only be read\(enFolder): run greenmine status once where the folder is writable and the disk has free space",
                details: details)
        case .other:
            return ClientError(
                code: kind.rawValue,
                zh: "本地数据库出错\(zhFolder)；已保存的内容不受影响",
                en: "the local store failed\(enFolder); nothing saved before was lost",
                details: details)
        }
    }
}
