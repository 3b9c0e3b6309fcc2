package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func testServer(t *testing.T, publicURL string) (*Server, *MemorySessions) {
	t.Helper()
	store := &MemorySessions{}
	s, err := New(Options{
		API: NewClient("http://api.test", InProcessTransport(http.NotFoundHandler())), Sessions: store, PublicURL: publicURL,
		SecureCookies: strings.HasPrefix(publicURL, "https://"),
		OIDC: OIDCSettings{Issuer: "https://idp.test", ClientID: "samverkan-web",
			AuthURL: "https://idp.test/authorize", TokenURL: "https://idp.test/token", JWKSURL: "https://idp.test/keys"},
	})
	require.NoError(t, err)
	return s, store
}

func TestTheSessionCookieIsSecureBehindHTTPS(t *testing.T) {
	s, store := testServer(t, "https://samverkan.example.org")
	res := httptest.NewRecorder()
	s.Handler().ServeHTTP(res, httptest.NewRequest(http.MethodGet, "https://samverkan.example.org/uppgifter", nil))
	require.Equal(t, http.StatusFound, res.Code, "a page asks for a login")
	login, err := url.Parse(res.Header().Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "idp.test", login.Host)
	require.Equal(t, "https://samverkan.example.org/logga-in/klar", login.Query().Get("redirect_uri"))
	require.Equal(t, "S256", login.Query().Get("code_challenge_method"))
	cookies := res.Result().Cookies()
	require.Len(t, cookies, 1)
	c := cookies[0]
	require.Equal(t, "__Host-samverkan", c.Name)
	require.True(t, c.Secure && c.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, c.SameSite)
	require.Equal(t, "/", c.Path)
	require.Equal(t, 1, store.Len(), "the login's state waits on the server, not in the cookie")
}

func TestPagesCarryTheSecurityHeaders(t *testing.T) {
	s, _ := testServer(t, "")
	for _, path := range []string{"/", "/tillganglighet", "/finns-inte", "/static/app.css"} {
		res := httptest.NewRecorder()
		s.Handler().ServeHTTP(res, httptest.NewRequest(http.MethodGet, path, nil))
		h := res.Header()
		csp := h.Get("Content-Security-Policy")
		require.Contains(t, csp, "script-src 'self'", path)
		require.NotContains(t, csp, "unsafe-inline", path)
		require.Contains(t, csp, "frame-ancestors 'none'", path)
		require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
		require.Equal(t, "no-referrer", h.Get("Referrer-Policy"), path)
		if !strings.HasPrefix(path, "/static/") {
			require.Equal(t, "no-store", h.Get("Cache-Control"), path)
		}
	}
}

func TestAFormFromAnotherSiteIsNotKept(t *testing.T) {
	s, store := testServer(t, "")
	req := httptest.NewRequest(http.MethodPost, "/oro/ny", strings.NewReader("child-name=X"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res := httptest.NewRecorder()
	s.Handler().ServeHTTP(res, req)
	require.Equal(t, http.StatusForbidden, res.Code)
	require.Zero(t, store.Len(), "nothing was kept")
}

func TestOnlyLocalPathsAreReturnedTo(t *testing.T) {
	for in, want := range map[string]string{
		"/arenden/x": "/arenden/x", "//evil.example": pathTasks, "https://evil.example": pathTasks, "/\\evil": pathTasks, "": pathTasks,
	} {
		require.Equal(t, want, localPath(in), in)
	}
}
