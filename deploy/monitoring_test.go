package deploy

import (
	"encoding/json"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The monitoring files: the Grafana dashboard (its series are checked against a live /metrics by
// cmd/samverkan's TestMetricsAndTracesAfterAFlow), and the compose profile that runs Prometheus and
// Grafana over the api and worker.

type dashboard struct {
	UID    string  `json:"uid"`
	Panels []panel `json:"panels"`
}

type panel struct {
	Type       string `json:"type"`
	Title      string `json:"title"`
	Datasource *struct {
		UID string `json:"uid"`
	} `json:"datasource"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
}

func readDashboard(t *testing.T) dashboard {
	t.Helper()
	raw, err := os.ReadFile("grafana/samverkan-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("grafana/samverkan-dashboard.json: %v", err)
	}
	return d
}

// DashboardSeries are the metric names the dashboard queries (histogram suffixes included).
func dashboardSeries(d dashboard) map[string]bool {
	name := regexp.MustCompile(`\b(?:samverkan|temporal)_[a-z0-9_]+`)
	out := map[string]bool{}
	for _, p := range d.Panels {
		for _, target := range p.Targets {
			for _, n := range name.FindAllString(target.Expr, -1) {
				out[n] = true
			}
		}
	}
	return out
}

func TestDashboard(t *testing.T) {
	d := readDashboard(t)
	if d.UID != "samverkan" {
		t.Errorf("uid %q: links and provisioning expect samverkan", d.UID)
	}
	graphs := 0
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		graphs++
		if p.Datasource == nil || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q does not use the datasource variable, so it breaks in another Grafana", p.Title)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q queries nothing", p.Title)
		}
	}
	series := dashboardSeries(d)
	for _, want := range []string{"samverkan_cases", "samverkan_cases_overdue", "samverkan_notifications_total",
		"samverkan_http_request_duration_seconds_bucket", "temporal_workflow_task_schedule_to_start_latency_seconds_bucket"} {
		if !series[want] {
			t.Errorf("the dashboard has no panel over %s", want)
		}
	}
	if graphs < 10 {
		t.Errorf("%d panels", graphs)
	}
}

func TestPrometheusScrapesWhereTheContainersServeMetrics(t *testing.T) {
	cf := readCompose(t)
	raw, err := os.ReadFile("prometheus/prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	var conf struct {
		ScrapeConfigs []struct {
			JobName      string `yaml:"job_name"`
			DNSSDConfigs []struct {
				Names []string `yaml:"names"`
				Port  int      `yaml:"port"`
			} `yaml:"dns_sd_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(raw, &conf); err != nil {
		t.Fatalf("prometheus.yml: %v", err)
	}
	scraped := map[string]int{}
	for _, sc := range conf.ScrapeConfigs {
		for _, sd := range sc.DNSSDConfigs {
			for _, n := range sd.Names {
				scraped[n] = sd.Port
			}
		}
	}
	for _, service := range []string{"api", "worker"} {
		addr := cf.Services[service].Environment["SAMVERKAN_METRICS_ADDR"]
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			t.Errorf("%s: SAMVERKAN_METRICS_ADDR %q is not host:port", service, addr)
			continue
		}
		if strconv.Itoa(scraped[service]) != port {
			t.Errorf("prometheus scrapes %s on port %d, the container serves /metrics on %s", service, scraped[service], port)
		}
	}
	for _, service := range []string{"prometheus", "grafana"} {
		for _, v := range cf.Services[service].Volumes {
			src, _, _ := strings.Cut(v, ":")
			if _, err := os.Stat(src); strings.HasPrefix(src, "./") && err != nil {
				t.Errorf("service %s mounts %s: %v", service, src, err)
			}
		}
	}
}
