package family

import (
	"strings"
	"testing"
)

func TestCheckReq(t *testing.T) {
	for _, ok := range []string{"0.5", "^0.5.4", "~0.5", ">=0.5, <0.6", "= 0.5.4", "0.5.*", "0.x", "*", "1",
		"0.5.4+5.3.0-patched", "0.6.1+5.3.0-1-ge13ca993e8ccb9ba9847cc330696e02839f328f7", "0.3.0-rc.1", " 0.5 "} {
		if err := CheckReq(ok); err != nil {
			t.Errorf("CheckReq(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"banana", "", "0.5.", ">= ", "0..5", "01.2", "0.5 0.6", "0.5,", "0.*.1", "0.5-rc", "1.2.3.4", "*.1", "0.5.4-", "0.5.4+a..b"} {
		if err := CheckReq(bad); err == nil {
			t.Errorf("CheckReq(%q) = nil, want an error", bad)
		}
	}
}

// Admitted reads a requirement as cargo does: every series a version it
// admits belongs to.
func TestAdmitted(t *testing.T) {
	all := []string{"0.4", "0.5", "0.6", "0.7"}
	for req, want := range map[string]string{
		"0.5":           "0.5",
		"^0.5.4":        "0.5",
		"=0.6.1":        "0.6",
		"~0.6":          "0.6",
		"*":             "0.4 0.5 0.6 0.7",
		"0":             "0.4 0.5 0.6 0.7",
		"0.*":           "0.4 0.5 0.6 0.7",
		"0.5.*":         "0.5",
		">=0.5":         "0.5 0.6 0.7",
		">0.5":          "0.6 0.7",
		">0.5.4":        "0.5 0.6 0.7",
		">=0.5, <0.7":   "0.5 0.6",
		">=0.5, <0.7.1": "0.5 0.6 0.7",
		"<0.6":          "0.4 0.5",
		"<=0.6":         "0.4 0.5 0.6",
		"1":             "",
		"0.5, 0.6":      "",
		"bad":           "",
	} {
		if got := strings.Join(Admitted(req, all), " "); got != want {
			t.Errorf("Admitted(%q) = %q, want %q", req, got, want)
		}
		if strings.Contains(want, " ") && !MaybeSeveral(req) {
			t.Errorf("MaybeSeveral(%q) = false, but it admits %q", req, want)
		}
	}
}
