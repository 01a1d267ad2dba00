import GreenMineShared

/// GRDB also has a `Record`; inside the server it always means the synced record.
typealias Record = GreenMineShared.Record
