// The RocksDB keyed state backend (state.backend.type: rocksdb). Placeholder translation unit
// so that the object library exists while the backend is being written.
namespace glint {}
