package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// caseAccessLogPage is Åtkomstlogg for one case: who opened it, and what they did, for the
// supervisor of its named person's unit (docs/process.md §1: the supervisor inspects a case). The API
// decides who may read it; anyone else gets its 404, and so this page's.
func (s *Server) caseAccessLogPage(w http.ResponseWriter, r *http.Request, sess *session) {
	after := 0
	if a := r.URL.Query().Get("efter"); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 {
			s.errorPage(w, r, sess, http.StatusBadRequest)
			return
		}
		after = n
	}
	page, err := s.api.CaseAccessLog(r.Context(), sess.AccessToken, r.PathValue("caseId"), after)
	if err != nil {
		s.readFailed(w, r, sess, err)
		return
	}
	p := accessLogPage{CaseID: page.CaseID, Later: after > 0, Table: accessTable{ID: "access-log", Caption: "Åtkomster, äldst först",
		Rows: s.accessRows(r.Context(), sess, page.Entries)}}
	if page.Next != nil {
		p.NextPage = casePage(page.CaseID, caseAccessLogPage) + "?efter=" + strconv.Itoa(*page.Next)
	}
	v := s.viewFor(r, sess, titled("Åtkomstlogg", "Ärende "+page.CaseID), "")
	v.Page = p
	s.render(w, r, http.StatusOK, "case_access_log.html", v)
}

type accessLogPage struct {
	CaseID   string
	Table    accessTable
	Later    bool   // not the first page
	NextPage string // "" on the last
}

// accessTable is access-log rows as a table (partials/tables.html); WithCase adds the case's column.
type accessTable struct {
	ID, Caption string
	Rows        []accessRow
	WithCase    bool
}

// accessRow is an access-log row in words.
type accessRow struct {
	Seq                   int
	When, Who, Role, Unit string
	What, Outcome, CaseID string
	Refused               bool
}

func (s *Server) accessRows(ctx context.Context, sess *session, entries []AccessEntry) []accessRow {
	out := make([]accessRow, len(entries))
	for i, e := range entries {
		out[i] = accessRow{Seq: e.Seq, When: auditTimeText(e.At), Who: e.User, Role: roleLabel(e.Role),
			Unit: s.unitName(ctx, sess, e.Unit), What: accessActionText(e.Action), CaseID: e.CaseID,
			Outcome: labelOr(outcomeLabels, e.Outcome), Refused: e.Outcome != "allowed"}
	}
	return out
}

// auditTimeText is the access log's UTC instant as Swedish time, to the second.
func auditTimeText(at string) string {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return at
	}
	return formatDateTime(t) + "." + t.In(casework.Stockholm).Format("05")
}

var outcomeLabels = map[string]string{"allowed": "Tillåten", "denied": "Nekad", "rejected": "Avvisad (felaktig begäran)", "error": "Fel"}

// accessActions are the access log's actions in words (api/audit.go names them).
var accessActions = map[string]string{
	"read_case": "Läste ärendet", "register_concern": "Anmälde oro", "list": "Läste en lista över ärenden",
	"read_timeline": "Läste ärendets tidslinje", "read_access_log": "Läste ärendets åtkomstlogg",
	"export_access_log": "Exporterade åtkomstloggen", "verify_access_log": "Kontrollerade åtkomstloggen",
	"child_extract": "Tog ut ett barns logg", "read_access_alerts": "Läste åtkomstlarmen",
	"read_access_reviews": "Läste logguppföljningen", "sign_off_access_review": "Signerade en logguppföljning",
	"oversight": "Läste tillsynen", "codec_decode": "Avkrypterade ärendedata i Temporal",
}

// commandWords are the case's commands (workflow update names) in words.
var commandWords = map[string]string{
	"AcknowledgeConcern": "tog emot ärendet", "DelegateAssessment": "lämnade över kartläggningen",
	"RecordHarmReport": "registrerade orosanmälan", "RecordAssessment": "kartlade", "CompleteAssessment": "avslutade kartläggningen",
	"RecordConsent": "registrerade samtycke", "RevokeConsent": "registrerade återkallat samtycke", "SendSummons": "kallade till möte",
	"HoldMeeting": "registrerade samverkansmötet", "AppointCoordinator": "utsåg samordnare", "CloseCase": "avslutade ärendet",
	"ProposePlan": "föreslog plan", "ApprovePlan": "registrerade godkännande av planen", "RecordFollowUp": "följde upp planen",
	"ReportDeviation": "rapporterade avvikelse", "HandleDeviation": "hanterade avvikelse", "RaiseDisagreement": "anmälde oenighet",
	"DecideDisagreement": "registrerade beslut om oenighet", "EscalateDisagreement": "lyfte oenigheten vidare",
	"RecordPlacement": "registrerade placering", "RecordHealthExamination": "registrerade hälsoundersökning",
	"SettleCostDistribution": "registrerade kostnadsfördelning", "HandOverCase": "lämnade över ärendet", "ReopenCase": "öppnade ärendet igen",
}

func accessActionText(action string) string {
	if cmd, ok := strings.CutPrefix(action, "command:"); ok {
		return "Steg i ärendet: " + labelOr(commandWords, cmd)
	}
	return labelOr(accessActions, action)
}
