package deploy

import (
	"os"
	"strings"
	"testing"
)

// dockerInstructions splits a Dockerfile into instructions, joining continued lines and dropping
// comments: ["RUN go build …", "ENV A=b", …].
func dockerInstructions(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && cur.Len() == 0) {
			continue
		}
		if body, continued := strings.CutSuffix(trimmed, "\\"); continued {
			cur.WriteString(body + " ")
			continue
		}
		cur.WriteString(trimmed)
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	return out
}

func TestDockerfile(t *testing.T) {
	instructions := dockerInstructions(t, "Dockerfile")
	find := func(prefix, contains string) string {
		for _, in := range instructions {
			if strings.HasPrefix(in, prefix) && strings.Contains(in, contains) {
				return in
			}
		}
		return ""
	}
	t.Run("it builds ./cmd/samverkan as a static binary", func(t *testing.T) {
		build := find("RUN ", "go build")
		if build == "" {
			t.Fatal("no RUN … go build")
		}
		for _, want := range []string{"CGO_ENABLED=0", "./cmd/samverkan", "-trimpath"} {
			if !strings.Contains(build, want) {
				t.Errorf("%q lacks %s", build, want)
			}
		}
	})
	t.Run("modules are downloaded in a layer of their own", func(t *testing.T) {
		if find("RUN ", "go mod download") == "" || find("COPY ", "go.mod go.sum") == "" {
			t.Error("no COPY go.mod go.sum + RUN go mod download before the sources")
		}
	})
	t.Run("the binary is the entrypoint and serve the default command", func(t *testing.T) {
		if find("ENTRYPOINT ", "samverkan") == "" {
			t.Error("no ENTRYPOINT running samverkan")
		}
		if find("CMD ", `"serve"`) == "" {
			t.Error(`no CMD ["serve"]`)
		}
	})
	t.Run("it runs as a user other than root", func(t *testing.T) {
		if find("USER ", "nonroot") == "" && find("FROM ", ":nonroot") == "" {
			t.Error("no non-root USER")
		}
	})
	t.Run("every SAMVERKAN_ variable it sets is a setting", func(t *testing.T) {
		known := settingNames()
		for _, in := range instructions {
			body, ok := strings.CutPrefix(in, "ENV ")
			if !ok {
				continue
			}
			for _, field := range strings.Fields(body) {
				name, _, _ := strings.Cut(field, "=")
				if strings.HasPrefix(name, "SAMVERKAN_") && !known[name] {
					t.Errorf("ENV %s: config.Settings() does not list it", name)
				}
			}
		}
	})
}
