// Linked into every executable of a ThreadSanitizer build
// (-DLECTERN_SANITIZE=thread), and only there.
//
// Debian's Abseil is not built with ThreadSanitizer, so TSan cannot see an
// absl::Mutex (ours, or gRPC's, which uses Abseil's too) hand a critical
// section from one thread to the next: every access guarded by one would be
// reported as a race. These definitions interpose the Mutex, CondVar and
// Notification entry points (an executable's symbols win over a shared
// library's, for gRPC's calls as well as ours), call Abseil's own through
// dlsym(RTLD_NEXT) and tell TSan the acquire and release they perform.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/base/options.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

// TSan's runtime annotations (the dynamic-annotations interface).
extern "C" {
void AnnotateIgnoreReadsBegin(const char* file, int line);
void AnnotateIgnoreReadsEnd(const char* file, int line);
void AnnotateIgnoreWritesBegin(const char* file, int line);
void AnnotateIgnoreWritesEnd(const char* file, int line);
}

#define LECTERN_STRINGIFY_INNER(x) #x
#define LECTERN_STRINGIFY(x) LECTERN_STRINGIFY_INNER(x)

namespace {

// Abseil's own definition of a member, by its mangled name without the
// "_ZN4absl<inline namespace>" head ("K" marks a const member).
template <typename Function>
Function Real(const char* tail, bool is_const = false) {
  const std::string inline_namespace =
      LECTERN_STRINGIFY(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  const std::string name = std::string("_ZN") + (is_const ? "K" : "") +
                           "4absl" + std::to_string(inline_namespace.size()) +
                           inline_namespace + tail;
  void* symbol = dlsym(RTLD_NEXT, name.c_str());
  if (symbol == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: %s not found in Abseil\n",
                 name.c_str());
    std::abort();
  }
  return reinterpret_cast<Function>(symbol);
}

// While Abseil runs a Mutex's slow paths it evaluates Conditions, whichever
// thread does it: the waiter before it sleeps and after it wakes, the
// unlocking thread for each waiter. Those reads of guarded state happen with
// the lock held, but TSan sees them after the release this file reports at
// the call's entry (or before its acquire at the return): false races. The
// accesses made inside Abseil's calls are not reported; a Condition can only
// read state the Mutex guards, so nothing real hides there.
class IgnoreAbseilInternals {
 public:
  IgnoreAbseilInternals() {
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
  }
  ~IgnoreAbseilInternals() {
    AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
  }
  IgnoreAbseilInternals(const IgnoreAbseilInternals&) = delete;
  IgnoreAbseilInternals& operator=(const IgnoreAbseilInternals&) = delete;
};

// Calls Abseil's own `real` with TSan ignoring the accesses it makes.
template <typename Function, typename... Args>
auto CallIgnoringAccesses(Function real, Args&&... args) {
  IgnoreAbseilInternals ignore;
  return real(std::forward<Args>(args)...);
}

// Abseil's deadlock detector keeps its lock graph under an internal
// SpinLock TSan cannot see, so its own bookkeeping shows as races (gRPC's
// mutexes go through it too). TSan detects lock-order inversions itself.
[[maybe_unused]] const bool kAbseilDeadlockDetectionOff = [] {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return true;
}();

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

// Lock taking: acquire after. Lock giving up: release before. Waiting on a
// condition gives the lock up and takes it back: both.

void Mutex::Lock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex4LockEv");
  CallIgnoringAccesses(real, this);
  __tsan_acquire(this);
}

void Mutex::ReaderLock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex10ReaderLockEv");
  CallIgnoringAccesses(real, this);
  __tsan_acquire(this);
}

bool Mutex::TryLock() {
  static auto real = Real<bool (*)(Mutex*)>("5Mutex7TryLockEv");
  const bool locked = CallIgnoringAccesses(real, this);
  if (locked) __tsan_acquire(this);
  return locked;
}

bool Mutex::ReaderTryLock() {
  static auto real = Real<bool (*)(Mutex*)>("5Mutex13ReaderTryLockEv");
  const bool locked = CallIgnoringAccesses(real, this);
  if (locked) __tsan_acquire(this);
  return locked;
}

void Mutex::Unlock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex6UnlockEv");
  __tsan_release(this);
  CallIgnoringAccesses(real, this);
}

void Mutex::ReaderUnlock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex12ReaderUnlockEv");
  __tsan_release(this);
  CallIgnoringAccesses(real, this);
}

void Mutex::LockWhen(const Condition& condition) {
  static auto real = Real<void (*)(Mutex*, const Condition&)>(
      "5Mutex8LockWhenERKNS0_9ConditionE");
  CallIgnoringAccesses(real, this, condition);
  __tsan_acquire(this);
}

void Mutex::ReaderLockWhen(const Condition& condition) {
  static auto real = Real<void (*)(Mutex*, const Condition&)>(
      "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  CallIgnoringAccesses(real, this, condition);
  __tsan_acquire(this);
}

bool Mutex::LockWhenWithTimeout(const Condition& condition,
                                absl::Duration timeout) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Duration)>(
      "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const bool result = CallIgnoringAccesses(real, this, condition, timeout);
  __tsan_acquire(this);
  return result;
}

bool Mutex::LockWhenWithDeadline(const Condition& condition,
                                 absl::Time deadline) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const bool result = CallIgnoringAccesses(real, this, condition, deadline);
  __tsan_acquire(this);
  return result;
}

void Mutex::Await(const Condition& condition) {
  static auto real = Real<void (*)(Mutex*, const Condition&)>(
      "5Mutex5AwaitERKNS0_9ConditionE");
  __tsan_release(this);
  CallIgnoringAccesses(real, this, condition);
  __tsan_acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& condition,
                             absl::Duration timeout) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Duration)>(
      "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  __tsan_release(this);
  const bool result = CallIgnoringAccesses(real, this, condition, timeout);
  __tsan_acquire(this);
  return result;
}

bool Mutex::AwaitWithDeadline(const Condition& condition, absl::Time deadline) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  __tsan_release(this);
  const bool result = CallIgnoringAccesses(real, this, condition, deadline);
  __tsan_acquire(this);
  return result;
}

void CondVar::Wait(Mutex* mu) {
  static auto real =
      Real<void (*)(CondVar*, Mutex*)>("7CondVar4WaitEPNS0_5MutexE");
  __tsan_release(mu);
  CallIgnoringAccesses(real, this, mu);
  __tsan_acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, absl::Duration timeout) {
  static auto real = Real<bool (*)(CondVar*, Mutex*, absl::Duration)>(
      "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  __tsan_release(mu);
  const bool result = CallIgnoringAccesses(real, this, mu, timeout);
  __tsan_acquire(mu);
  return result;
}

bool CondVar::WaitWithDeadline(Mutex* mu, absl::Time deadline) {
  static auto real = Real<bool (*)(CondVar*, Mutex*, absl::Time)>(
      "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  __tsan_release(mu);
  const bool result = CallIgnoringAccesses(real, this, mu, deadline);
  __tsan_acquire(mu);
  return result;
}

// A Notification's inline HasBeenNotified() reads its flag with an
// instrumented acquire load, so the release goes on the flag's address too
// (it follows the Mutex, the class's first member).
void Notification::Notify() {
  static auto real = Real<void (*)(Notification*)>("12Notification6NotifyEv");
  __tsan_release(this);
  __tsan_release(reinterpret_cast<char*>(this) + sizeof(Mutex));
  CallIgnoringAccesses(real, this);
}

void Notification::WaitForNotification() const {
  static auto real = Real<void (*)(const Notification*)>(
      "12Notification19WaitForNotificationEv", /*is_const=*/true);
  CallIgnoringAccesses(real, this);
  __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(
    absl::Duration timeout) const {
  static auto real = Real<bool (*)(const Notification*, absl::Duration)>(
      "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE",
      /*is_const=*/true);
  const bool notified = CallIgnoringAccesses(real, this, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
