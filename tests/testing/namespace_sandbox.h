// Runs a small shell script inside a private user and mount namespace
// (util-linux `unshare --user --map-root-user --mount`), where a test may
// mount a tiny tmpfs (a disk that fills up) or a read-only bind mount
// without any privilege, whatever user runs the tests. The mounts vanish
// with the namespace, when its last process exits; the network is shared,
// so a lecternd started there serves 127.0.0.1 as usual.
#ifndef LECTERN_TESTS_TESTING_NAMESPACE_SANDBOX_H_
#define LECTERN_TESTS_TESTING_NAMESPACE_SANDBOX_H_

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lectern::testing {

// The full path of `program` on $PATH, or "" when it is not there.
inline std::string FindProgram(const std::string& program) {
  const char* path = std::getenv("PATH");
  for (absl::string_view folder :
       absl::StrSplit(path == nullptr ? "/usr/bin:/bin" : path, ':')) {
    const std::string candidate = absl::StrCat(folder, "/", program);
    if (!folder.empty() && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

// argv that runs `script` with sh inside a fresh user and mount namespace;
// the script sees `args` as $1, $2, ...
inline std::vector<std::string> InPrivateNamespace(
    const std::string& script, const std::vector<std::string>& args = {}) {
  std::vector<std::string> argv = {FindProgram("unshare"),
                                   "--user",
                                   "--map-root-user",
                                   "--mount",
                                   "sh",
                                   "-c",
                                   script,
                                   "sh"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// Empty when this machine lets an unprivileged process mount a tmpfs in a
// private namespace; otherwise why not (no unshare, or user namespaces
// switched off, as in some containers).
inline std::string PrivateNamespacesUnavailable(const TempDir& dir) {
  if (FindProgram("unshare").empty()) return "no unshare (util-linux) on PATH";
  const std::string mount_point = dir.Path("probe-mount");
  dir.WriteFile("probe-mount/.keep", "");
  auto code =
      Run(InPrivateNamespace("mount -t tmpfs -o size=64k tmpfs \"$1\"",
                             {mount_point}),
          dir.Path("probe.out"), dir.Path("probe.err"), absl::Seconds(20));
  if (!code.ok()) return std::string(code.status().message());
  if (*code != 0) {
    return absl::StrCat("unshare --user --map-root-user --mount failed: ",
                        ReadFile(dir.Path("probe.err")));
  }
  return "";
}

}  // namespace lectern::testing

#endif  // LECTERN_TESTS_TESTING_NAMESPACE_SANDBOX_H_
