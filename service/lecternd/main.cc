// lecternd: serves lectern's index over gRPC.
//
//   lecternd --index var/index [--listen 127.0.0.1:50051] [--threads N]
//
// Also serves grpc.health.v1.Health (SERVING once the index is open, not
// before) and server reflection. SIGINT or SIGTERM stops it cleanly: health
// turns NOT_SERVING, calls in flight finish (up to --shutdown_grace), and
// it exits 0.
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "service/lectern_service.h"
#include "service/search_workers.h"

ABSL_FLAG(std::string, index, "", "Index folder written by lectern-index");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve on, HOST:PORT; port 0 picks a free one");
ABSL_FLAG(int, threads, 0,
          "Search worker threads, each with its own index reader "
          "(0: one per core, at least 2)");
ABSL_FLAG(int, max_queue, 256,
          "Requests that may wait for a worker; beyond that, "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(std::string, port_file, "",
          "Write the bound port to this file once serving (for scripts)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(5),
          "How long calls in flight may finish after SIGINT/SIGTERM");

namespace {

// Writes via a temporary file so a reader never sees a partial port.
bool WritePortFile(const std::string& path, int port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << "\n";
    if (!out) return false;
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  return !error;
}

// "127.0.0.1:50051" -> "127.0.0.1", "[::1]:0" -> "[::1]".
std::string HostOf(const std::string& address) {
  const size_t colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "serves lectern's index over gRPC.\n"
      "usage: lecternd --index DIR [--listen HOST:PORT] [--threads N]");
  absl::ParseCommandLine(argc, argv);

  // Signals are taken by a dedicated thread (sigwait), so block them here
  // before any other thread exists and inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const std::string index = absl::GetFlag(FLAGS_index);
  if (index.empty()) {
    std::fprintf(stderr, "lecternd: --index is required\n");
    return 2;
  }
  int threads = absl::GetFlag(FLAGS_threads);
  if (threads <= 0) {
    threads =
        std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  }

  auto workers = lectern::SearchWorkers::Start(index, threads,
                                               absl::GetFlag(FLAGS_max_queue));
  if (!workers.ok()) {
    std::fprintf(stderr, "lecternd: %s\n",
                 std::string(workers.status().message()).c_str());
    return 1;
  }
  lectern::RequestLog log(stderr);
  lectern::LecternService service(workers->get(), &log);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::fprintf(stderr, "lecternd: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  // The index is open before the server starts, so health is SERVING from
  // the first call.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus("lectern.v1.Lectern", true);

  std::atomic<bool> stopped{false};
  std::thread signal_thread([&] {
    // Bounded waits so the thread also ends when the server stops another way.
    const timespec tick{0, 200 * 1000 * 1000};
    while (!stopped.load()) {
      const int signal = sigtimedwait(&stop_signals, nullptr, &tick);
      if (signal < 0) continue;
      std::fprintf(stderr, "lecternd: %s received, shutting down\n",
                   signal == SIGINT ? "SIGINT" : "SIGTERM");
      health->Shutdown();
      // Calls in flight may finish within the grace period; then stop at
      // once rather than wait out the deadline on idle client connections.
      const absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
      if (!service.WaitUntilIdle(grace)) {
        std::fprintf(stderr,
                     "lecternd: calls still running after %s; cancelling\n",
                     absl::FormatDuration(grace).c_str());
      }
      server->Shutdown(std::chrono::system_clock::now());
      return;
    }
  });

  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty() && !WritePortFile(port_file, port)) {
    std::fprintf(stderr, "lecternd: cannot write --port_file %s\n",
                 port_file.c_str());
  }
  std::fprintf(stderr, "lecternd: serving %s on %s:%d with %d workers\n",
               index.c_str(), HostOf(listen).c_str(), port,
               (*workers)->threads());

  server->Wait();
  stopped = true;
  signal_thread.join();
  workers->reset();  // runs anything still queued, joins the workers
  std::fprintf(stderr, "lecternd: stopped\n");
  return 0;
}
