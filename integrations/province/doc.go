// Package province holds the clients of the two provincial platforms the
// bureau files with (省级统筹平台, seed section 2.6): the social-insurance
// relation transfer platform (辽宁省社会保险关系转移管理信息系统, 省转移平台),
// through which pension relations move in and out of Dandong, and the
// electronic social-security card platform (省电子社保卡平台), which
// verifies real names, signs e-cards, and answers QR-code scans and face
// checks.
//
// Both speak JSON over HTTP, signed in headers like the SMS platform (see
// Sign). Each has its own client, credentials and circuit breaker, because
// they are separate systems that fail separately. Which calls are retried
// is decided per operation and written on each method: a call is retried
// only if repeating it cannot do twice what the citizen asked once. The
// simulator in province/sim serves both platforms over real HTTP.
package province
