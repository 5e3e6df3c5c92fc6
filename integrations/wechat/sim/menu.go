package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/dandong-hrss/hrss/integrations/wechat"
)

// The custom menu (自定义菜单): created whole, read back, deleted. The
// simulator checks the platform's limits itself, independently of the
// client's own validation, and keeps the menu exactly as created.

type menuBody struct {
	Buttons []menuButton `json:"button"`
}

type menuButton struct {
	Type       string       `json:"type"`
	Name       string       `json:"name"`
	Key        string       `json:"key"`
	URL        string       `json:"url"`
	SubButtons []menuButton `json:"sub_button"`
}

func (s *Sim) createMenu(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	var m menuBody
	if err != nil || json.Unmarshal(raw, &m) != nil {
		fail(w, wechat.CodeDataFormat, s.errorf("data format error"))
		return
	}
	if code, msg := checkMenu(m); code != wechat.CodeOK {
		fail(w, code, s.errorf("%s", msg))
		return
	}
	var compact bytes.Buffer
	json.Compact(&compact, raw)
	s.mu.Lock()
	s.menu = compact.Bytes()
	s.mu.Unlock()
	ok200(w, nil)
}

// checkMenu applies the platform's limits, answering its errcode.
func checkMenu(m menuBody) (wechat.ErrCode, string) {
	if n := len(m.Buttons); n == 0 || n > 3 {
		return wechat.CodeInvalidButtonSize, "invalid button size"
	}
	for _, b := range m.Buttons {
		if len(b.SubButtons) == 0 {
			if code, msg := checkButton(b, 16); code != wechat.CodeOK {
				return code, msg
			}
			continue
		}
		if b.Name == "" || len(b.Name) > 16 {
			return wechat.CodeInvalidButtonName, "invalid button name size"
		}
		if len(b.SubButtons) > 5 {
			return wechat.CodeInvalidSubButtons, "invalid sub button size"
		}
		for _, sb := range b.SubButtons {
			if code, msg := checkButton(sb, 60); code != wechat.CodeOK {
				return code, msg
			}
		}
	}
	return wechat.CodeOK, ""
}

func checkButton(b menuButton, nameLimit int) (wechat.ErrCode, string) {
	switch {
	case b.Name == "" || len(b.Name) > nameLimit:
		return wechat.CodeInvalidButtonName, "invalid button name size"
	case len(b.SubButtons) > 0:
		return wechat.CodeInvalidSubButtons, "invalid sub button size"
	case b.Type == "click" && (b.Key == "" || len(b.Key) > 128):
		return wechat.CodeInvalidButtonKey, "invalid button key size"
	case (b.Type == "view" || b.Type == "miniprogram") && (b.URL == "" || len(b.URL) > 1024):
		return wechat.CodeInvalidButtonURL, "invalid button url size"
	case b.Type != "click" && b.Type != "view" && b.Type != "miniprogram":
		return wechat.CodeInvalidButtonType, "invalid button type"
	}
	return wechat.CodeOK, ""
}

func (s *Sim) getMenu(w http.ResponseWriter, _ *http.Request) {
	menu := s.Menu()
	if menu == nil {
		fail(w, wechat.CodeMenuNotExist, s.errorf("menu no exist"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]json.RawMessage{"menu": menu})
}

func (s *Sim) deleteMenu(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.menu = nil
	s.mu.Unlock()
	ok200(w, nil)
}

// Menu returns the menu as created, in the platform's JSON, or nil.
func (s *Sim) Menu() json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.menu
}

func (s *Sim) adminMenu(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Menu())
}
