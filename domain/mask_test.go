package domain

import (
	"strings"
	"testing"
)

func TestMaskText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"no digits", "查询养老保险缴费记录", "查询养老保险缴费记录"},
		{"ID alone", dandongMan, "2106**********1234"},
		{"ID with X", "id=" + dandongX + ";", "id=2106**********123X;"},
		{"ID with lower x", "证件号21060219800101123x已核验", "证件号2106**********123x已核验"},
		{"ID in JSON", `{"idNumber":"11010519491231002X"}`, `{"idNumber":"1101**********002X"}`},
		{"18 digits, any check digit", "210602199001011235", "2106**********1235"},
		{"19-digit run", "2106021990010112345", "2106021990010112345"},
		{"17 digits without X", "21060219900101123", "21060219900101123"},
		{"16 digits then X", "2106021980010112X", "2106021980010112X"},
		{"mobile", "发送验证码到13812345678", "发送验证码到138****5678"},
		{"mobile after +86", "tel:+86 13812345678", "tel:+86 138****5678"},
		{"mobile with 86 glued on", "+8613812345678", "+86138****5678"},
		{"12-digit run", "138123456789", "138123456789"},
		{"10-digit run", "1381234567", "1381234567"},
		{"11 digits not a mobile", "12812345678", "12812345678"},
		{"unix seconds", "ts=1764400000", "ts=1764400000"},
		{"unix millis", "ts=1764400000123", "ts=1764400000123"},
		{"both", "户主" + gbSample + "，电话19912345678。", "户主1101**********002X，电话199****5678。"},
		{"ID then mobile back to back", dandongMan + "-13812345678", "2106**********1234-138****5678"},
		{"at the very end", "phone 13912345678", "phone 139****5678"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskText(tt.in); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestMaskTextDoesNotAllocateWithoutMatch(t *testing.T) {
	line := `level=INFO msg="GET /kiosk/v1/contributions" status=200 took=12ms rid=01JDZ3K8Q9 bytes=18233`
	allocs := testing.AllocsPerRun(100, func() {
		if MaskText(line) != line {
			t.Fatal("masked a line without personal data")
		}
	})
	if allocs != 0 {
		t.Errorf("got %v allocations; want 0", allocs)
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"张", "张"},
		{"张三", "张*"},
		{"王小明", "王**"},
		{"欧阳娜娜", "欧***"},
		{" 李四 ", "李*"},
		{"买买提·艾力", "买**·**"},
		{"John Smith", "J*** *****"},
		{"Li", "L*"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MaskName(tt.in); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

var benchSink string

func BenchmarkMaskText(b *testing.B) {
	clean := `time=2026-11-29T10:15:03+08:00 level=INFO msg="request" method=GET path=/kiosk/v1/insurance/summary status=200 took=12.4ms rid=01JDZ3K8Q9XW bytes=18233`
	dirty := clean + ` person=` + dandongX + ` phone=13812345678`
	long := strings.Repeat(clean+" ", 16)
	for _, bc := range []struct{ name, line string }{
		{"clean", clean}, {"dirty", dirty}, {"clean4KB", long},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.line)))
			b.ReportAllocs()
			for b.Loop() {
				benchSink = MaskText(bc.line)
			}
		})
	}
}
