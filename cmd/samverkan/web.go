package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/web"
)

// devBackChannel is the host the front end's back-channel calls name in dev; they never leave the
// process (web.InProcessTransport), so it is only a name.
const devBackChannel = "http://samverkan.internal"

// webFrontEnd builds the caseworkers' front end: its client of the API in this process (apiHandler,
// without a socket) unless SAMVERKAN_WEB_API_URL names another, and its sessions in the database.
func webFrontEnd(cfg config.Config, logger *slog.Logger, database *db.DB, apiHandler http.Handler,
	oidc web.OIDCSettings, publicURL string) (http.Handler, error) {
	client := web.NewClient(devBackChannel, web.InProcessTransport(apiHandler))
	if cfg.WebAPIURL != "" {
		client = web.NewClient(cfg.WebAPIURL, &http.Transport{ResponseHeaderTimeout: 30 * time.Second})
	}
	front, err := web.New(web.Options{
		API: client, Sessions: database.WebSessions(), OIDC: oidc, PublicURL: publicURL,
		SecureCookies: strings.HasPrefix(publicURL, "https://"), IdleTimeout: cfg.WebSessionIdle,
		Logger: logger.With("component", "web"),
	})
	if err != nil {
		return nil, err
	}
	return front.Handler(), nil
}

// withWeb serves the API where it always was – /api/, /healthz, /readyz – and the front end on
// every other path of the same address.
func withWeb(apiHandler, front http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/api/") || p == "/api" || p == "/healthz" || p == "/readyz" {
			apiHandler.ServeHTTP(w, r)
			return
		}
		front.ServeHTTP(w, r)
	})
}

// devLogin is the dev issuer's login for the front end: every user of the demo directory with each
// of their assignments, the README's demo users first.
func devLogin(cfg config.Config, issuer *auth.Issuer, database *db.DB) *auth.DevLogin {
	return &auth.DevLogin{Issuer: issuer, ClientID: cfg.WebOIDCClientID, Audience: cfg.OIDCAudience, TokenTTL: 8 * time.Hour,
		Users: func(ctx context.Context) ([]auth.DevUser, error) { return devLoginUsers(ctx, database) }}
}

// readmeUsers are the demo users the README introduces, in its order.
var readmeUsers = []string{"anna.larare", "bertil.rektor", "david.chef", "cecilia.socialsekreterare", "erik.bvc", "frida.bup"}

func devLoginUsers(ctx context.Context, database *db.DB) ([]auth.DevUser, error) {
	users, err := database.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	units, err := database.ListUnits(ctx, "", "")
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	out := make([]auth.DevUser, 0, len(users))
	for _, u := range users {
		du := auth.DevUser{ID: u.ID, Name: u.DisplayName, Title: u.Title}
		for _, r := range u.Roles {
			du.Assignments = append(du.Assignments, auth.DevAssignment{Role: string(r.Role), RoleLabel: web.RoleLabel(string(r.Role)),
				Unit: r.UnitID, UnitName: names[r.UnitID]})
		}
		out = append(out, du)
	}
	rank := func(id string) int {
		if i := slices.Index(readmeUsers, id); i >= 0 {
			return i
		}
		return len(readmeUsers)
	}
	slices.SortStableFunc(out, func(a, b auth.DevUser) int { return rank(a.ID) - rank(b.ID) })
	return out, nil
}

// devWebOIDC points the front end at the dev issuer beside it: the browser goes to the authorize
// page on this address, and the code is exchanged in process.
func devWebOIDC(cfg config.Config, issuerHandler http.Handler) web.OIDCSettings {
	return web.OIDCSettings{
		Issuer: devIssuer(cfg), ClientID: cfg.WebOIDCClientID,
		AuthURL: auth.DevAuthorizePath, TokenURL: devBackChannel + auth.DevTokenPath, JWKSURL: devBackChannel + auth.DevJWKSPath,
		HTTPClient: &http.Client{Transport: web.InProcessTransport(issuerHandler), Timeout: 10 * time.Second},
	}
}

// serveWebOIDC is the region's identity provider, found by its discovery document.
func serveWebOIDC(cfg config.Config) (web.OIDCSettings, error) {
	if cfg.PublicURL == "" {
		return web.OIDCSettings{}, fmt.Errorf("SAMVERKAN_PUBLIC_URL: required, the front end's login returns there")
	}
	return web.OIDCSettings{Issuer: cfg.OIDCIssuer, ClientID: cfg.WebOIDCClientID, ClientSecret: cfg.WebOIDCClientSecret}, nil
}
