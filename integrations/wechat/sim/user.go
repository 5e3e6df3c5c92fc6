package sim

import (
	"encoding/json"
	"net/http"
)

// Followers (关注者): only they can receive template messages, and
// /cgi-bin/user/info reports whether an openid is one. As on the real
// platform since 2021, it gives no nickname or avatar.

// Follow makes openid a follower, as when a citizen taps 关注; it returns
// ErrBadOpenID for an openid WeChat would never issue.
func (s *Sim) Follow(openID string) error {
	if !openIDRE.MatchString(openID) {
		return ErrBadOpenID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.followers[openID]; !ok {
		s.followers[openID] = s.now()
	}
	return nil
}

// Unfollow removes openid from the followers.
func (s *Sim) Unfollow(openID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.followers, openID)
}

func (s *Sim) userInfo(w http.ResponseWriter, r *http.Request) {
	openID := r.URL.Query().Get("openid")
	if !openIDRE.MatchString(openID) {
		fail(w, 40003, s.errorf("invalid openid"))
		return
	}
	s.mu.Lock()
	since, following := s.followers[openID]
	s.mu.Unlock()
	if !following {
		writeJSON(w, http.StatusOK, map[string]any{"subscribe": 0, "openid": openID})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"subscribe": 1, "openid": openID, "language": "zh_CN", "subscribe_time": since.Unix(),
		"remark": "", "groupid": 0, "tagid_list": []int{}, "subscribe_scene": "ADD_SCENE_SEARCH",
		"qr_scene": 0, "qr_scene_str": "",
	})
}

// followerRequest is the body of POST /_admin/followers.
type followerRequest struct {
	OpenID     string `json:"openid"`
	Subscribed bool   `json:"subscribed"`
}

func (s *Sim) adminFollower(w http.ResponseWriter, r *http.Request) {
	var req followerRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		http.Error(w, `body must be {"openid":…,"subscribed":true|false}`, http.StatusBadRequest)
		return
	}
	if !req.Subscribed {
		s.Unfollow(req.OpenID)
	} else if err := s.Follow(req.OpenID); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
