import GreenMineShared

/// `Record` in this module is always the synced record of the shared model, never GRDB's class.
typealias Record = GreenMineShared.Record
