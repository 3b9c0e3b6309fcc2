package workflows

// Types of the application errors that validators and handlers return, so the API can map a
// rejected command to the right HTTP status without reading messages. Messages are Swedish: the API
// passes them to the caseworker as the reason.
const (
	ErrTypeInvalid  = "InvalidCommand" // the command's own fields are wrong → 400
	ErrTypeConflict = "StateConflict"  // the command does not fit the case's state → 409
	ErrTypeRouting  = "RoutingFailed"  // the directory cannot route the concern → 422
	// ErrTypeForbidden: the actor may see the case but this command is not theirs to give → 403.
	ErrTypeForbidden = "NotPermitted"
)
