#include "storage/coalescing_wal_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace seatmirror {
namespace {

constexpr std::size_t kMaxBufferedBytes = 4 << 20;
// The unix VFS writes at most 128 KiB - 1 per call (os_unix.c masks the size to 17 bits), so a
// run goes out in pieces of this size: 15 frames of 8 KiB pages a call instead of 2 calls a frame.
constexpr std::size_t kMaxWriteBytes = 0x1ffff & ~std::size_t{4095};
constexpr int kFrameHeaderBytes = 24;

// The real file's structure follows this one in the same allocation (szOsFile covers both).
struct CoalescingFile {
  sqlite3_file base;
  sqlite3_file* real;
  bool is_log;
  // The buffered run: bytes destined for [offset, offset + bytes.size()) of the log.
  std::vector<char>* bytes;
  sqlite3_int64 offset;
  bool commit_frame_pending;  // the last write was the header of a commit frame
};

sqlite3_vfs* real_vfs() { return sqlite3_vfs_find("unix"); }

CoalescingFile* as_file(sqlite3_file* file) { return reinterpret_cast<CoalescingFile*>(file); }
const sqlite3_io_methods* real_methods(CoalescingFile* f) { return f->real->pMethods; }

int flush(CoalescingFile* f) {
  if (!f->bytes || f->bytes->empty()) return SQLITE_OK;
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < f->bytes->size() && rc == SQLITE_OK; done += kMaxWriteBytes) {
    const auto piece = std::min(kMaxWriteBytes, f->bytes->size() - done);
    rc = real_methods(f)->xWrite(f->real, f->bytes->data() + done, static_cast<int>(piece),
                                 f->offset + static_cast<sqlite3_int64>(done));
  }
  f->bytes->clear();
  return rc;
}

// A frame header's bytes 4-7 hold, for a commit frame, the database size in pages; else 0.
bool is_commit_frame_header(const void* data, int amount) {
  if (amount != kFrameHeaderBytes) return false;
  const auto* b = static_cast<const unsigned char*>(data);
  return (b[4] | b[5] | b[6] | b[7]) != 0;
}

int log_write(CoalescingFile* f, const void* data, int amount, sqlite3_int64 offset) {
  auto& run = *f->bytes;
  const auto end = f->offset + static_cast<sqlite3_int64>(run.size());
  if (!run.empty() && offset >= f->offset && offset + amount <= end) {
    // SQLite may rewrite a frame of the transaction in progress: it is still in the run.
    std::memcpy(run.data() + (offset - f->offset), data, static_cast<std::size_t>(amount));
  } else {
    if (!run.empty() && (offset != end || run.size() + static_cast<std::size_t>(amount) > kMaxBufferedBytes)) {
      if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    }
    if (run.empty()) f->offset = offset;
    const auto* bytes = static_cast<const char*>(data);
    run.insert(run.end(), bytes, bytes + amount);
  }
  const bool completes_commit = f->commit_frame_pending && amount != kFrameHeaderBytes;
  f->commit_frame_pending = is_commit_frame_header(data, amount);
  return completes_commit ? flush(f) : SQLITE_OK;
}

int x_close(sqlite3_file* file) {
  auto* f = as_file(file);
  const int flushed = flush(f);
  const int rc = real_methods(f)->xClose(f->real);
  delete f->bytes;
  f->bytes = nullptr;
  return flushed != SQLITE_OK ? flushed : rc;
}
int x_read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  auto* f = as_file(file);
  if (f->is_log) {
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  return real_methods(f)->xRead(f->real, data, amount, offset);
}
int x_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  auto* f = as_file(file);
  if (f->is_log) return log_write(f, data, amount, offset);
  return real_methods(f)->xWrite(f->real, data, amount, offset);
}
int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  auto* f = as_file(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f)->xTruncate(f->real, size);
}
int x_sync(sqlite3_file* file, int flags) {
  auto* f = as_file(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f)->xSync(f->real, flags);
}
int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  auto* f = as_file(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f)->xFileSize(f->real, size);
}
int x_lock(sqlite3_file* file, int level) { return real_methods(as_file(file))->xLock(as_file(file)->real, level); }
int x_unlock(sqlite3_file* file, int level) { return real_methods(as_file(file))->xUnlock(as_file(file)->real, level); }
int x_check_reserved_lock(sqlite3_file* file, int* out) {
  return real_methods(as_file(file))->xCheckReservedLock(as_file(file)->real, out);
}
int x_file_control(sqlite3_file* file, int op, void* arg) {
  auto* f = as_file(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f)->xFileControl(f->real, op, arg);
}
int x_sector_size(sqlite3_file* file) { return real_methods(as_file(file))->xSectorSize(as_file(file)->real); }
int x_device_characteristics(sqlite3_file* file) {
  return real_methods(as_file(file))->xDeviceCharacteristics(as_file(file)->real);
}
int x_shm_map(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  return real_methods(as_file(file))->xShmMap(as_file(file)->real, page, page_size, extend, out);
}
int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return real_methods(as_file(file))->xShmLock(as_file(file)->real, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* file) { real_methods(as_file(file))->xShmBarrier(as_file(file)->real); }
int x_shm_unmap(sqlite3_file* file, int delete_flag) {
  return real_methods(as_file(file))->xShmUnmap(as_file(file)->real, delete_flag);
}
int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return real_methods(as_file(file))->xFetch(as_file(file)->real, offset, amount, out);
}
int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return real_methods(as_file(file))->xUnfetch(as_file(file)->real, offset, page);
}

// One table per method-table version the real VFS may hand out: SQLite reads iVersion to know
// which members exist, so ours must not claim more than the real file has.
sqlite3_io_methods methods_of_version(int version) {
  return {version,
          x_close,
          x_read,
          x_write,
          x_truncate,
          x_sync,
          x_file_size,
          x_lock,
          x_unlock,
          x_check_reserved_lock,
          x_file_control,
          x_sector_size,
          x_device_characteristics,
          x_shm_map,
          x_shm_lock,
          x_shm_barrier,
          x_shm_unmap,
          x_fetch,
          x_unfetch};
}
const sqlite3_io_methods kMethods[] = {methods_of_version(1), methods_of_version(2), methods_of_version(3)};

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = as_file(file);
  f->base.pMethods = nullptr;  // SQLite reads this to know whether to close after a failure
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->is_log = (flags & SQLITE_OPEN_WAL) != 0;
  f->bytes = nullptr;
  f->offset = 0;
  f->commit_frame_pending = false;
  const int rc = real_vfs()->xOpen(real_vfs(), name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || !f->real->pMethods) return rc;
  const int version = f->real->pMethods->iVersion;
  f->bytes = new (std::nothrow) std::vector<char>();
  if (!f->bytes || version < 1 || version > 3) {
    f->real->pMethods->xClose(f->real);
    delete f->bytes;
    f->bytes = nullptr;
    return SQLITE_CANTOPEN;
  }
  f->base.pMethods = &kMethods[version - 1];
  return SQLITE_OK;
}

// The other VFS members forward to the real VFS.
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) { return real_vfs()->xDelete(real_vfs(), name, sync_dir); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real_vfs()->xAccess(real_vfs(), name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return real_vfs()->xFullPathname(real_vfs(), name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return real_vfs()->xDlOpen(real_vfs(), name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { real_vfs()->xDlError(real_vfs(), n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return real_vfs()->xDlSym(real_vfs(), handle, symbol);
}
void x_dl_close(sqlite3_vfs*, void* handle) { real_vfs()->xDlClose(real_vfs(), handle); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return real_vfs()->xRandomness(real_vfs(), n, out); }
int x_sleep(sqlite3_vfs*, int microseconds) { return real_vfs()->xSleep(real_vfs(), microseconds); }
int x_current_time(sqlite3_vfs*, double* out) { return real_vfs()->xCurrentTime(real_vfs(), out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return real_vfs()->xGetLastError(real_vfs(), n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return real_vfs()->xCurrentTimeInt64(real_vfs(), out); }

}  // namespace

void register_coalescing_wal_vfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    static sqlite3_vfs vfs{};
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(CoalescingFile)) + real_vfs()->szOsFile;
    vfs.mxPathname = real_vfs()->mxPathname;
    vfs.zName = "seatmirror-coalescing-wal";
    vfs.xOpen = x_open;
    vfs.xDelete = x_delete;
    vfs.xAccess = x_access;
    vfs.xFullPathname = x_full_pathname;
    vfs.xDlOpen = x_dl_open;
    vfs.xDlError = x_dl_error;
    vfs.xDlSym = x_dl_sym;
    vfs.xDlClose = x_dl_close;
    vfs.xRandomness = x_randomness;
    vfs.xSleep = x_sleep;
    vfs.xCurrentTime = x_current_time;
    vfs.xGetLastError = x_get_last_error;
    vfs.xCurrentTimeInt64 = x_current_time_int64;
    sqlite3_vfs_register(&vfs, 1);
  });
}

}  // namespace seatmirror
