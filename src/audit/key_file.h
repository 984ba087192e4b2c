// The audit signing key's file: by default beside the database as "<db>.audit-key", created
// on first use with mode 0600 (docs/audit.md). The only part of the audit module that touches
// the file system. Safe to call from any thread; two processes creating the same key file at
// once end up with the same key (the file appears atomically, whole).
#pragma once

#include <string>
#include <string_view>

#include "audit/audit.h"
#include "core/status.h"

namespace yuqing::audit {

// "<db_path>.audit-key".
std::string DefaultKeyPath(std::string_view db_path);

// Reads a key file written by CreateKeyFile / LoadOrCreateKeyFile. NotFound when it does not
// exist; FailedPrecondition when group or others may read or write it (the message says how to
// fix it); InvalidArgument when its content is not a key.
Result<SigningKey> ReadKeyFile(const std::string& path);

// Reads the key file, or creates it with a fresh key and mode 0600 if it does not exist.
// `created`, when given, tells which happened.
Result<SigningKey> LoadOrCreateKeyFile(const std::string& path, bool* created = nullptr);

}  // namespace yuqing::audit
