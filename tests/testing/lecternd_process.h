// A real lecternd child process on an ephemeral 127.0.0.1 port, and the
// real lectern-index building the bundled data: the ground of the
// end-to-end tests.
#ifndef LECTERN_TESTS_TESTING_LECTERND_PROCESS_H_
#define LECTERN_TESTS_TESTING_LECTERND_PROCESS_H_

#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lectern::testing {

// Builds the bundled index at `index` with the real lectern-index binary.
// Call under ASSERT_NO_FATAL_FAILURE.
inline void BuildBundledIndex(const TempDir& dir, const std::string& index) {
  auto code = Run({IndexerPath(), "--config", BundledConfig(), "--index", index,
                   "--strict"},
                  dir.Path("index.out"), dir.Path("index.err"));
  ASSERT_THAT(code, IsOk());
  ASSERT_EQ(*code, 0) << ReadFile(dir.Path("index.err"));
}

class LecterndProcess {
 public:
  // Starts lecternd on `index` with `extra_args`; its output goes to
  // `<name>.out` and `<name>.err` in `dir`.
  LecterndProcess(const TempDir& dir, const std::string& index,
                  const std::vector<std::string>& extra_args = {},
                  const std::string& name = "lecternd")
      : dir_(dir), name_(name) {
    const std::string port_file = dir.Path(name + ".port");
    std::vector<std::string> args = {
        LecterndPath(), "--index", index,         "--listen", "127.0.0.1:0",
        "--threads",    "2",       "--port_file", port_file};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    auto process = Subprocess::Start(args, dir.Path(name + ".out"),
                                     dir.Path(name + ".err"));
    EXPECT_THAT(process, IsOk());
    if (!process.ok()) return;
    process_ = std::move(*process);
    auto port = WaitForPortFile(port_file, absl::Seconds(20));
    EXPECT_THAT(port, IsOk()) << Log();
    if (!port.ok()) return;
    address_ = absl::StrCat("127.0.0.1:", *port);
    channel_ =
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  }

  bool ok() const { return channel_ != nullptr; }
  const std::string& address() const { return address_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  Subprocess& process() { return *process_; }
  std::string Log() const { return ReadFile(dir_.Path(name_ + ".err")); }

 private:
  const TempDir& dir_;
  const std::string name_;
  std::unique_ptr<Subprocess> process_;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
};

// A client context that gives up after ten seconds.
inline std::unique_ptr<grpc::ClientContext> ContextWithDeadline(
    const std::string& token = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  return context;
}

// The raw ListServiceResponse of the server's reflection service
// (grpc.reflection.v1alpha, what grpcurl and grpcui ask), through a generic
// stub: the test needs no copy of reflection.proto.
inline absl::StatusOr<std::string> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  auto context = ContextWithDeadline();
  auto call = stub.PrepareCall(
      context.get(),
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  auto step = [&](intptr_t expected) {
    void* tag = nullptr;
    bool ok = false;
    return queue.Next(&tag, &ok) && ok &&
           reinterpret_cast<intptr_t>(tag) == expected;
  };
  const std::string request("\x3a\x01*", 3);  // field 7 (list_services) = "*"
  grpc::Slice slice(request);
  grpc::ByteBuffer buffer(&slice, 1);
  grpc::ByteBuffer reply;
  grpc::Status status;
  bool steps_ok = true;
  call->StartCall(reinterpret_cast<void*>(1));
  steps_ok = steps_ok && step(1);
  call->Write(buffer, reinterpret_cast<void*>(2));
  steps_ok = steps_ok && step(2);
  call->WritesDone(reinterpret_cast<void*>(3));
  steps_ok = steps_ok && step(3);
  call->Read(&reply, reinterpret_cast<void*>(4));
  steps_ok = steps_ok && step(4);
  call->Finish(&status, reinterpret_cast<void*>(5));
  steps_ok = steps_ok && step(5);
  queue.Shutdown();
  void* tag;
  bool ok;
  while (queue.Next(&tag, &ok)) {
  }
  if (!steps_ok || !status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("reflection call failed: ", status.error_message()));
  }
  std::vector<grpc::Slice> slices;
  if (!reply.Dump(&slices).ok()) return absl::DataLossError("bad reply");
  std::string bytes;
  for (const grpc::Slice& part : slices) {
    bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  return bytes;
}

}  // namespace lectern::testing

#endif  // LECTERN_TESTS_TESTING_LECTERND_PROCESS_H_
