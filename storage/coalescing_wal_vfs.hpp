// A SQLite VFS that writes each commit's WAL frames in a few large system calls instead of two
// per page. Everything else is the platform's own VFS ("unix"), unchanged.
//
// Why: SQLite appends a frame to the log as two writes (a 24-byte header, then the page), so a
// commit that dirties 40 pages makes 80 write calls before its fsync, and on this project's
// machines a system call costs more than copying the page (perf: pvm_irq_enable and pwrite
// led the writer thread's profile). The frames of one commit are contiguous in the log, so
// they are gathered in memory and written in pieces of up to 124 KiB.
//
// What it promises: nothing SQLite relies on changes. Buffered bytes reach the file before
//   - the page that completes a commit frame returns (so a commit is in the file, as SQLite's
//     own VFS would have it, before SQLite publishes it to readers: with synchronous=NORMAL
//     there is no sync to wait for),
//   - any sync, read, size query, truncation or close of the log,
//   - a write that does not continue the buffered run, or past kMaxBufferedBytes.
// A failed write is reported by the call that triggered it, so a full disk still fails the
// commit. Only log (-wal) files are buffered; database and journal files pass straight through.
#pragma once

namespace seatmirror {

// Registers the VFS as the process's default; idempotent. Call before opening connections.
void register_coalescing_wal_vfs();

}  // namespace seatmirror
