// Runs a program of the project (lecternd, lectern-index) as a child
// process for integration tests, with bounded waits only. No shell.
#ifndef LECTERN_TESTS_TESTING_SUBPROCESS_H_
#define LECTERN_TESTS_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lectern::testing {

class Subprocess {
 public:
  // Starts argv[0] (a path) with its arguments; stdout and stderr are
  // written to the given files. With `own_process_group`, the child leads
  // a process group of its own, and signals go to the whole group: for a
  // server that forks a process per connection (xapian-tcpsrv).
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv, const std::string& stdout_path,
      const std::string& stderr_path, bool own_process_group = false);

  // Kills the child (and its group) with SIGKILL if it still runs, and
  // reaps it.
  ~Subprocess();

  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  void Signal(int signal);

  // The exit code once the child exited (128 + N when killed by signal N),
  // or nullopt if it still runs after `timeout`.
  std::optional<int> Wait(absl::Duration timeout);

 private:
  Subprocess(pid_t pid, bool group) : pid_(pid), group_(group) {}
  // The pid to signal: the group's (negative) or the child's.
  pid_t target() const { return group_ ? -pid_ : pid_; }
  pid_t pid_;
  bool group_;
  std::optional<int> exit_code_;
};

// Runs a program to completion (at most `timeout`) and returns its exit
// code; output goes to the given files.
absl::StatusOr<int> Run(const std::vector<std::string>& argv,
                        const std::string& stdout_path,
                        const std::string& stderr_path,
                        absl::Duration timeout = absl::Seconds(60));

// Waits until `path` holds a port number, for at most `timeout`.
absl::StatusOr<int> WaitForPortFile(const std::string& path,
                                    absl::Duration timeout);

}  // namespace lectern::testing

#endif  // LECTERN_TESTS_TESTING_SUBPROCESS_H_
