package wechat

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/silenceper/wechat/v2/officialaccount/menu"
)

// Menu is the account's custom menu (自定义菜单) under the chat: up to three
// buttons, each an action or a group of up to five actions. Its JSON is the
// platform's own menu JSON ({"button":[…]}), so the file the bureau keeps
// can be checked against WeChat's documentation and the simulator's record.
type Menu struct {
	Buttons []Button `json:"button"`
}

// Button is one menu entry. A group has a Name and SubButtons and no Type.
type Button struct {
	Type       string   `json:"type,omitempty"`  // ButtonClick, ButtonView, ButtonMiniProgram; empty for a group
	Name       string   `json:"name"`            // at most 16 bytes at the top (5 Chinese characters), 60 below
	Key        string   `json:"key,omitempty"`   // click: the EventKey the callback receives
	URL        string   `json:"url,omitempty"`   // view: the page; miniprogram: the fallback page
	AppID      string   `json:"appid,omitempty"` // miniprogram
	PagePath   string   `json:"pagepath,omitempty"`
	SubButtons []Button `json:"sub_button,omitempty"`
}

// The button types the bureau's menu uses. A click is answered by the
// MessageServer's handler; a view opens an H5 page.
const (
	ButtonClick       = "click"
	ButtonView        = "view"
	ButtonMiniProgram = "miniprogram"
)

// The platform's limits on a menu.
const (
	maxButtons, maxSubButtons = 3, 5
	maxNameTop, maxNameSub    = 16, 60 // bytes of UTF-8
	maxKey, maxURL            = 128, 1024
)

// LoadMenu reads a menu from a JSON file, such as the one the bureau keeps
// under version control, and validates it.
func LoadMenu(path string) (Menu, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Menu{}, fmt.Errorf("wechat: read menu: %w", err)
	}
	return ParseMenu(data)
}

// ParseMenu reads a menu from its JSON and validates it. Errors: Invalid,
// naming each wrong field.
func ParseMenu(data []byte) (Menu, error) {
	var m Menu
	if err := json.Unmarshal(data, &m); err != nil {
		return Menu{}, domain.Wrap(err, domain.Invalid, "菜单文件不是有效的JSON")
	}
	return m, m.Validate()
}

// Validate checks the menu against the platform's rules before it is sent,
// so that a mistake is named field by field instead of by a WeChat errcode.
// Errors: Invalid with one FieldError per problem.
func (m Menu) Validate() error {
	var errs []domain.FieldError
	if n := len(m.Buttons); n == 0 || n > maxButtons {
		errs = append(errs, domain.FieldError{Field: "button", Message: "一级菜单应为1至3个"})
	}
	for i, b := range m.Buttons {
		path := fmt.Sprintf("button[%d]", i)
		if b.Type == "" && len(b.SubButtons) > 0 {
			errs = checkName(errs, path, b.Name, maxNameTop)
			if len(b.SubButtons) > maxSubButtons {
				errs = append(errs, domain.FieldError{Field: path + ".sub_button", Message: "二级菜单最多5个"})
			}
			for j, s := range b.SubButtons {
				errs = checkAction(errs, fmt.Sprintf("%s.sub_button[%d]", path, j), s, maxNameSub)
			}
			continue
		}
		errs = checkAction(errs, path, b, maxNameTop)
	}
	if len(errs) > 0 {
		return domain.InvalidFields(errs...)
	}
	return nil
}

func checkName(errs []domain.FieldError, path, name string, limit int) []domain.FieldError {
	if name == "" || len(name) > limit {
		errs = append(errs, domain.FieldError{Field: path + ".name",
			Message: fmt.Sprintf("菜单名称不能为空，且不超过%d个字节", limit)})
	}
	return errs
}

// checkAction checks a button that does something (not a group).
func checkAction(errs []domain.FieldError, path string, b Button, nameLimit int) []domain.FieldError {
	errs = checkName(errs, path, b.Name, nameLimit)
	if len(b.SubButtons) > 0 {
		return append(errs, domain.FieldError{Field: path + ".sub_button", Message: "二级菜单不能再有下级菜单"})
	}
	switch b.Type {
	case ButtonClick:
		if b.Key == "" || len(b.Key) > maxKey {
			errs = append(errs, domain.FieldError{Field: path + ".key", Message: "点击类菜单需要不超过128字节的key"})
		}
	case ButtonView:
		errs = checkURL(errs, path, b.URL)
	case ButtonMiniProgram:
		errs = checkURL(errs, path, b.URL)
		if b.AppID == "" || b.PagePath == "" {
			errs = append(errs, domain.FieldError{Field: path + ".appid", Message: "小程序菜单需要appid和pagepath"})
		}
	default:
		errs = append(errs, domain.FieldError{Field: path + ".type", Message: "菜单类型应为click、view或miniprogram"})
	}
	return errs
}

func checkURL(errs []domain.FieldError, path, raw string) []domain.FieldError {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > maxURL {
		errs = append(errs, domain.FieldError{Field: path + ".url", Message: "跳转地址应为不超过1024字节的http或https地址"})
	}
	return errs
}

// SetMenu replaces the account's menu; followers see it within minutes.
// Setting the same menu twice is harmless, so it is retried. Errors:
// Invalid for a menu breaking the platform's rules, Unavailable, Timeout.
func (c *Client) SetMenu(ctx context.Context, m Menu) error {
	if err := m.Validate(); err != nil {
		return err
	}
	buttons := toSDK(m.Buttons)
	return c.call(ctx, "menu_create", true, func(ctx context.Context) error {
		_, err := withToken(ctx, c, func() (struct{}, error) { return struct{}{}, c.menu.SetMenu(buttons) })
		return err
	})
}

// CurrentMenu reads the menu followers see now. Errors: NotFound when the
// account has none, Unavailable, Timeout.
func (c *Client) CurrentMenu(ctx context.Context) (Menu, error) {
	var out Menu
	err := c.call(ctx, "menu_get", true, func(ctx context.Context) error {
		res, err := withToken(ctx, c, func() (menu.ResMenu, error) { return c.menu.GetMenu() })
		if err != nil {
			return err
		}
		out = Menu{Buttons: fromSDK(res.Menu.Button)}
		return nil
	})
	return out, err
}

// DeleteMenu removes the menu. Errors: Unavailable, Timeout.
func (c *Client) DeleteMenu(ctx context.Context) error {
	return c.call(ctx, "menu_delete", true, func(ctx context.Context) error {
		_, err := withToken(ctx, c, func() (struct{}, error) { return struct{}{}, c.menu.DeleteMenu() })
		return err
	})
}

func toSDK(bs []Button) []*menu.Button {
	out := make([]*menu.Button, 0, len(bs))
	for _, b := range bs {
		out = append(out, &menu.Button{Type: b.Type, Name: b.Name, Key: b.Key, URL: b.URL,
			AppID: b.AppID, PagePath: b.PagePath, SubButtons: toSDK(b.SubButtons)})
	}
	return out
}

func fromSDK(bs []menu.Button) []Button {
	var out []Button
	for _, b := range bs {
		sub := make([]menu.Button, 0, len(b.SubButtons))
		for _, s := range b.SubButtons {
			sub = append(sub, *s)
		}
		out = append(out, Button{Type: b.Type, Name: b.Name, Key: b.Key, URL: b.URL,
			AppID: b.AppID, PagePath: b.PagePath, SubButtons: fromSDK(sub)})
	}
	return out
}
