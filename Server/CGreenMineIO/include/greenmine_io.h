#ifndef GREENMINE_IO_H
#define GREENMINE_IO_H

/// Starts writing `length` bytes of `fd` from `offset` to disk without waiting for it (Linux's
/// sync_file_range with SYNC_FILE_RANGE_WRITE; Glibc's Swift module leaves it out, as it is a GNU
/// extension). Returns 0, or -1 with errno set; elsewhere than Linux it does nothing and returns 0.
int greenmine_start_writeback(int fd, long long offset, long long length);

#endif
