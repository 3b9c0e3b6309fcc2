package workflows

import "github.com/samverkan/samverkan/activities"

// The activities whose calls stand in a case's history, and their messages, for those who read the
// history rather than run it (the API's timeline, which may not import activities: docs/architecture.md §2).
// They are defined once, in activities; these names only let a reader of the workflow's contract
// reach them. Recorded in histories: never renamed.
const (
	ActivityRouteConcern       = activities.NameRouteConcern
	ActivityNotify             = activities.NameNotify
	ActivityMunicipalityPolicy = activities.NameMunicipalityPolicy
)

type (
	RouteConcernRequest = activities.RouteConcernRequest
	RouteConcernResult  = activities.RouteConcernResult
	NotifyRequest       = activities.NotifyRequest
	NotifyKind          = activities.NotifyKind
)

// The kinds of notification (activities.NotifyKind).
const (
	NotifyReminder          = activities.NotifyReminder
	NotifyDeadlineMissed    = activities.NotifyDeadlineMissed
	NotifyDeviationReported = activities.NotifyDeviationReported
	NotifyEscalated         = activities.NotifyEscalated
	NotifyCaseHandedOver    = activities.NotifyCaseHandedOver
	NotifyConcernJoined     = activities.NotifyConcernJoined
	NotifyCaseReopened      = activities.NotifyCaseReopened
	NotifyNewCase           = activities.NotifyNewCase
	NotifySummoned          = activities.NotifySummoned
	NotifyAppointed         = activities.NotifyAppointed
)
