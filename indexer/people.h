// The people of the reading groups, read from their sessions: each
// person's sessions in every group as main presenter and as assistant, and
// who has not presented for a while. Reads the index only; no gRPC.
#ifndef LECTERN_INDEXER_PEOPLE_H_
#define LECTERN_INDEXER_PEOPLE_H_

#include <xapian.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

// As the Lectern.GetPerson RPC documents it; `today` stands in for an
// empty as_of. The name is any spelling of a presenter's, or words of
// exactly one presenter's name ("kunzhao"). InvalidArgument for an empty
// name, a malformed date, or words that fit several people (the message
// names them); NotFound for a name no session has.
absl::StatusOr<v1::GetPersonResponse> GetPerson(
    const Xapian::Database& db, const v1::GetPersonRequest& request,
    absl::CivilDay today);

// As the Lectern.ListPeople RPC documents it. InvalidArgument for a
// malformed date; NotFound for an unknown group.
absl::StatusOr<v1::ListPeopleResponse> ListPeople(
    const Xapian::Database& db, const v1::ListPeopleRequest& request,
    absl::CivilDay today);

}  // namespace lectern

#endif  // LECTERN_INDEXER_PEOPLE_H_
