// lecternd: serves lectern's index over gRPC.
//
//   lecternd --index var/index [--listen 127.0.0.1:50051] [--threads N]
//   lecternd --index var/sharded/home --shards shards.txt
//
// Also serves grpc.health.v1.Health (SERVING once the index is open, not
// before) and server reflection. SIGINT or SIGTERM stops it cleanly: health
// turns NOT_SERVING, calls in flight finish (up to --shutdown_grace), and
// it exits 0.
//
// A missing or damaged index does not stop it: before serving, lecternd
// checks the index (Xapian's consistency check, as lectern-index --check_db
// runs it; on a read-only folder it opens the index and reads every term
// instead). Until the index passes, lecternd logs one line naming the path
// and Xapian's error, reports NOT_SERVING, answers reads with UNAVAILABLE,
// and tries again every --index_retry; once a sound index appears at the
// path, it serves it and turns SERVING by itself. With --write, lecternd
// needs an index it can write (it creates a missing one) and exits 1 when
// it cannot open or check it.
//
// With --http_listen it also serves the read API as JSON over HTTP, plus
// /healthz and Prometheus /metrics (service/http_gateway.h).
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

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
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "indexer/files.h"
#include "indexer/index_writer.h"
#include "indexer/librarian.h"
#include "service/access.h"
#include "service/http_gateway.h"
#include "service/lectern_service.h"
#include "service/metrics.h"
#include "service/search_workers.h"
#include "service/writer_service.h"

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
ABSL_FLAG(bool, write, false,
          "Serve the write API (lectern.v1.LecternWriter): lecternd then "
          "owns the index's write lock; needs --token_file");
ABSL_FLAG(std::string, token_file, "",
          "Bearer tokens with scopes, one \"name scopes token\" per line "
          "(docs/API.md); writes need a token with the write scope");
ABSL_FLAG(bool, require_read_token, false,
          "Reads need a token with the read scope too");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain: serve gRPC (and HTTP) over TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(bool, allow_insecure_remote, false,
          "Allow plaintext on a non-loopback address (behind a TLS proxy, "
          "say); without it, such an address needs --tls_cert");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "Largest request message accepted; larger ones fail with "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_stream_items, 100000,
          "Most papers one ImportPapers stream may send");
ABSL_FLAG(absl::Duration, max_deadline, absl::Seconds(30),
          "Longest a read may run, whatever deadline the client sets");
ABSL_FLAG(absl::Duration, commit_delay, absl::Milliseconds(5),
          "How long a write waits for others to share its commit");
ABSL_FLAG(std::string, http_listen, "",
          "Also serve the read API as JSON over HTTP, with /healthz and "
          "/metrics, on HOST:PORT (port 0 picks a free one); empty: no HTTP");
ABSL_FLAG(absl::Duration, index_retry, absl::Seconds(1),
          "How often an index that is missing or fails its check is tried "
          "again (meanwhile health is NOT_SERVING and reads are UNAVAILABLE)");
ABSL_FLAG(bool, check_index, true,
          "Run Xapian's consistency check on the index before serving it "
          "(reads every table: about a second per 100 MB)");
ABSL_FLAG(std::string, shards, "",
          "Shard map of a sharded index (docs/SCALING.md): --index is then "
          "its home database, and the catalog is read from the shards' "
          "replicas through xapian-tcpsrv; empty: one local database");
ABSL_FLAG(std::string, http_port_file, "",
          "Write the bound HTTP port to this file once serving");

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

// TLS when --tls_cert is given; plaintext otherwise, and then only on
// loopback unless --allow_insecure_remote. nullptr (after saying why) when
// the flags do not allow serving `address`.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(
    const std::string& address) {
  const std::string cert_file = absl::GetFlag(FLAGS_tls_cert);
  const std::string key_file = absl::GetFlag(FLAGS_tls_key);
  if (cert_file.empty() != key_file.empty()) {
    std::fprintf(stderr, "lecternd: --tls_cert and --tls_key go together\n");
    return nullptr;
  }
  if (cert_file.empty()) {
    if (!lectern::IsLoopbackAddress(address) &&
        !absl::GetFlag(FLAGS_allow_insecure_remote)) {
      std::fprintf(stderr,
                   "lecternd: %s is not a loopback address: serve it with "
                   "--tls_cert and --tls_key, or pass --allow_insecure_remote "
                   "(plaintext: tokens travel in the clear)\n",
                   address.c_str());
      return nullptr;
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  if (!lectern::ReadWholeFile(key_file, &pair.private_key) ||
      !lectern::ReadWholeFile(cert_file, &pair.cert_chain)) {
    std::fprintf(stderr,
                 "lecternd: cannot read --tls_cert %s or --tls_key %s\n",
                 cert_file.c_str(), key_file.c_str());
    return nullptr;
  }
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back(std::move(pair));
  return grpc::SslServerCredentials(options);
}

// Says who holds the write lock, for lectern-index's error message.
constexpr char kWriterNote[] = "lecternd.writer";

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "serves lectern's index over gRPC.\n"
      "usage: lecternd --index DIR [--listen HOST:PORT] [--threads N]\n"
      "A missing or damaged index (one that fails Xapian's check) keeps\n"
      "lecternd up but NOT_SERVING, answering reads with UNAVAILABLE; it\n"
      "tries the index again every --index_retry and serves it once it is\n"
      "sound. With --write it exits 1 instead.");
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

  lectern::AccessPolicy access;
  if (const std::string token_file = absl::GetFlag(FLAGS_token_file);
      !token_file.empty()) {
    auto loaded = lectern::AccessPolicy::Load(token_file);
    if (!loaded.ok()) {
      std::fprintf(stderr, "lecternd: %s\n",
                   std::string(loaded.status().message()).c_str());
      return 2;
    }
    access = *std::move(loaded);
  }
  access.set_require_read_token(absl::GetFlag(FLAGS_require_read_token));
  const bool write = absl::GetFlag(FLAGS_write);
  if ((write || access.require_read_token()) && !access.has_tokens()) {
    std::fprintf(stderr,
                 "lecternd: --write and --require_read_token need "
                 "--token_file with at least one token\n");
    return 2;
  }
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const std::shared_ptr<grpc::ServerCredentials> credentials =
      ServerCredentials(listen);
  if (!credentials) return 2;
  const std::string http_listen = absl::GetFlag(FLAGS_http_listen);
  if (!http_listen.empty() && !ServerCredentials(http_listen)) return 2;

  // The writer opens (or creates) the index before the readers do. It
  // never writes to a damaged index.
  std::unique_ptr<lectern::Librarian> librarian;
  if (write) {
    if (absl::GetFlag(FLAGS_check_index)) {
      if (auto checked = lectern::CheckIndex(index);
          !checked.ok() && !absl::IsNotFound(checked.status())) {
        std::fprintf(stderr, "lecternd: --write: %s\n",
                     std::string(checked.status().message()).c_str());
        return 1;
      }
    }
    lectern::LibrarianOptions librarian_options;
    librarian_options.commit_delay = absl::GetFlag(FLAGS_commit_delay);
    auto opened = lectern::Librarian::Open(index, librarian_options);
    if (!opened.ok()) {
      std::fprintf(stderr, "lecternd: --write: %s\n",
                   std::string(opened.status().message()).c_str());
      return 1;
    }
    librarian = *std::move(opened);
  }

  // Health follows the index: NOT_SERVING until it can be served. The
  // workers may find it ready before the server exists.
  absl::Mutex health_mu;
  grpc::HealthCheckServiceInterface* health_service = nullptr;
  bool index_ready = false;
  auto set_health = [&](bool serving) {
    health_service->SetServingStatus(serving);
    health_service->SetServingStatus("lectern.v1.Lectern", serving);
    if (librarian) {
      health_service->SetServingStatus("lectern.v1.LecternWriter", serving);
    }
  };
  lectern::SearchWorkersOptions worker_options;
  if (const std::string shard_map = absl::GetFlag(FLAGS_shards);
      !shard_map.empty()) {
    if (write) {
      std::fprintf(stderr,
                   "lecternd: --write and --shards do not go together: a "
                   "sharded index is written by lectern-index --shards\n");
      return 2;
    }
    auto loaded = lectern::LoadShardMap(shard_map);
    if (!loaded.ok()) {
      std::fprintf(stderr, "lecternd: --shards: %s\n",
                   std::string(loaded.status().message()).c_str());
      return 2;
    }
    worker_options.shards =
        std::make_shared<const lectern::ShardMap>(*std::move(loaded));
  }
  worker_options.threads = threads;
  worker_options.max_queue = absl::GetFlag(FLAGS_max_queue);
  // With --write the index was checked above, before the writer opened it.
  worker_options.verify_index = absl::GetFlag(FLAGS_check_index) && !write;
  worker_options.retry_interval =
      std::max(absl::GetFlag(FLAGS_index_retry), absl::Milliseconds(10));
  worker_options.on_index_state = [&](const absl::Status& state) {
    if (state.ok()) {
      std::fprintf(stderr, "lecternd: index %s opened; serving it\n",
                   index.c_str());
    } else {
      std::fprintf(stderr,
                   "lecternd: cannot serve index %s: %s; NOT_SERVING, "
                   "trying again every %s\n",
                   index.c_str(), std::string(state.message()).c_str(),
                   absl::FormatDuration(worker_options.retry_interval).c_str());
    }
    absl::MutexLock lock(&health_mu);
    index_ready = state.ok();
    if (health_service != nullptr) set_health(index_ready);
  };
  auto workers = lectern::SearchWorkers::StartWhenReady(index, worker_options);
  if (!workers.ok()) {
    std::fprintf(stderr, "lecternd: %s\n",
                 std::string(workers.status().message()).c_str());
    return 1;
  }
  lectern::Metrics metrics;  // rendered at the HTTP gateway's /metrics
  lectern::RequestLog log(stderr, &metrics);
  lectern::ReadOptions read_options;
  read_options.access = &access;
  read_options.max_deadline = absl::GetFlag(FLAGS_max_deadline);
  lectern::LecternService service(workers->get(), &log, read_options);
  std::unique_ptr<lectern::WriterService> writer_service;
  if (librarian) {
    lectern::WriterLimits limits;
    limits.max_stream_items = absl::GetFlag(FLAGS_max_stream_items);
    writer_service = std::make_unique<lectern::WriterService>(
        librarian.get(), &access, &log, limits);
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, credentials, &port);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  builder.RegisterService(&service);
  if (writer_service) builder.RegisterService(writer_service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::fprintf(stderr, "lecternd: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  // SERVING from the first call when the index opened before the server
  // started; otherwise once the workers open it.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  {
    absl::MutexLock lock(&health_mu);
    health_service = health;
    set_health(index_ready);
  }
  if (writer_service) {
    std::ofstream note(std::filesystem::path(index) / kWriterNote,
                       std::ios::trunc);
    note << "pid " << getpid() << ", serving " << HostOf(listen) << ":" << port
         << "\n";
  }

  // The HTTP/JSON gateway calls the service in process, so it answers
  // exactly as gRPC does (same auth, validation and status codes).
  std::unique_ptr<lectern::HttpGateway> gateway;
  if (const std::string http = absl::GetFlag(FLAGS_http_listen);
      !http.empty()) {
    lectern::HttpGatewayOptions http_options;
    http_options.listen = http;
    http_options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
    http_options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
    auto started = lectern::HttpGateway::Start(
        http_options, server->InProcessChannel(grpc::ChannelArguments()),
        &metrics);
    if (!started.ok()) {
      std::fprintf(stderr, "lecternd: --http_listen: %s\n",
                   std::string(started.status().message()).c_str());
      server->Shutdown();
      return 1;
    }
    gateway = *std::move(started);
    const std::string http_port_file = absl::GetFlag(FLAGS_http_port_file);
    if (!http_port_file.empty() &&
        !WritePortFile(http_port_file, gateway->port())) {
      std::fprintf(stderr, "lecternd: cannot write --http_port_file %s\n",
                   http_port_file.c_str());
    }
    std::fprintf(stderr, "lecternd: serving HTTP on %s:%d\n",
                 HostOf(http).c_str(), gateway->port());
  }

  std::atomic<bool> stopped{false};
  std::thread signal_thread([&] {
    // Bounded waits so the thread also ends when the server stops another way.
    const timespec tick{0, 200 * 1000 * 1000};
    while (!stopped.load()) {
      const int signal = sigtimedwait(&stop_signals, nullptr, &tick);
      if (signal < 0) continue;
      std::fprintf(stderr, "lecternd: %s received, shutting down\n",
                   signal == SIGINT ? "SIGINT" : "SIGTERM");
      {
        // No later change of the index's state turns health back on.
        absl::MutexLock lock(&health_mu);
        health->Shutdown();
        health_service = nullptr;
      }
      if (gateway) gateway->Stop();  // finishes the HTTP requests in flight
      // Calls in flight may finish within the grace period; then stop at
      // once rather than wait out the deadline on idle client connections.
      const absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
      const absl::Time give_up = absl::Now() + grace;
      if (writer_service && !writer_service->WaitUntilIdle(grace)) {
        std::fprintf(stderr, "lecternd: writes still running after %s\n",
                     absl::FormatDuration(grace).c_str());
      }
      if (!service.WaitUntilIdle(
              std::max(absl::ZeroDuration(), give_up - absl::Now()))) {
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
  std::fprintf(stderr, "lecternd: serving %s on %s:%d with %d workers%s\n",
               index.c_str(), HostOf(listen).c_str(), port,
               (*workers)->threads(),
               (*workers)->ready() ? "" : " (index not ready: NOT_SERVING)");

  server->Wait();
  stopped = true;
  signal_thread.join();
  workers->reset();  // runs anything still queued, joins the workers
  if (librarian) {
    librarian.reset();  // commits anything still queued
    std::error_code ignored;
    std::filesystem::remove(std::filesystem::path(index) / kWriterNote,
                            ignored);
  }
  std::fprintf(stderr, "lecternd: stopped\n");
  return 0;
}
