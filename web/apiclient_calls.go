package web

import (
	"context"
	"net/http"
	"net/url"
)

// The API's operations the pages call, one method each. A new form adds its command here: one
// method, its request type in apiclient_types.go, and its row in apiclient_contract_test.go.

// Units is GET /api/v1/units (listUnits).
func (cl *Client) Units(ctx context.Context, token string) ([]Unit, error) {
	var out UnitList
	err := cl.do(ctx, call{method: http.MethodGet, path: "/api/v1/units", token: token}, &out)
	return out.Items, err
}

// MyTasks is GET /api/v1/me/tasks (myTasks): a page of the caller's inbox.
func (cl *Client) MyTasks(ctx context.Context, token, cursor string, limit int) (TaskList, error) {
	var out TaskList
	err := cl.do(ctx, call{method: http.MethodGet, path: "/api/v1/me/tasks", query: pageQuery(cursor, limit), token: token}, &out)
	return out, err
}

// MyNotifications is GET /api/v1/me/notifications (myNotifications).
func (cl *Client) MyNotifications(ctx context.Context, token string, unreadOnly bool, cursor string, limit int) (NotificationList, error) {
	q := pageQuery(cursor, limit)
	if unreadOnly {
		q.Set("unread", "true")
	}
	var out NotificationList
	err := cl.do(ctx, call{method: http.MethodGet, path: "/api/v1/me/notifications", query: q, token: token}, &out)
	return out, err
}

// MarkNotificationRead is POST /api/v1/me/notifications/{id}/read (markNotificationRead).
func (cl *Client) MarkNotificationRead(ctx context.Context, token, id string) error {
	return cl.do(ctx, call{method: http.MethodPost, path: "/api/v1/me/notifications/" + url.PathEscape(id) + "/read", token: token}, nil)
}

// RegisterConcern is POST /api/v1/concerns (registerConcern).
func (cl *Client) RegisterConcern(ctx context.Context, token, idempotencyKey string, req ConcernRequest) (ConcernReceipt, error) {
	var out ConcernReceipt
	err := cl.do(ctx, call{method: http.MethodPost, path: "/api/v1/concerns", token: token, idempotencyKey: idempotencyKey, body: req}, &out)
	return out, err
}

// Case is GET /api/v1/cases/{caseId} (getCase).
func (cl *Client) Case(ctx context.Context, token, caseID string) (Case, error) {
	var out Case
	err := cl.do(ctx, call{method: http.MethodGet, path: casePath(caseID), token: token}, &out)
	return out, err
}

// Timeline is GET /api/v1/cases/{caseId}/timeline (caseTimeline), as JSON.
func (cl *Client) Timeline(ctx context.Context, token, caseID string) (Timeline, error) {
	var out Timeline
	err := cl.do(ctx, call{method: http.MethodGet, path: casePath(caseID, "timeline"), token: token}, &out)
	return out, err
}

// Acknowledge is POST /api/v1/cases/{caseId}/acknowledgement (acknowledgeConcern).
func (cl *Client) Acknowledge(ctx context.Context, token, caseID, idempotencyKey string, req AcknowledgementRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "acknowledgement", idempotencyKey, req)
}

// Delegate is POST /api/v1/cases/{caseId}/delegation (delegateAssessment).
func (cl *Client) Delegate(ctx context.Context, token, caseID, idempotencyKey string, req DelegationRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "delegation", idempotencyKey, req)
}

// command POSTs a case command and returns the case as the caller now sees it.
func (cl *Client) command(ctx context.Context, token, caseID, path, idempotencyKey string, body any) (Case, error) {
	var out Case
	err := cl.do(ctx, call{method: http.MethodPost, path: casePath(caseID, path), token: token, idempotencyKey: idempotencyKey, body: body}, &out)
	return out, err
}
