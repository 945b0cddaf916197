/**
 * A throwaway self-signed certificate for `localhost` and 127.0.0.1 (EC P-256, valid until 2126), for
 * tests that need a TLS server on loopback. Its key protects nothing.
 */
export const TEST_TLS = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgsDp2D4V650kRwd0V
BRY6EpyQfh7h1+mX6c3qT1LeYxOhRANCAATzR5Zv1MFyfR/tBywiujwzt6fM80ZY
2+Bt1IFmbikPena3P+usz+Gpxf8deCtQkfQp1W7Nc00E+tWJQ72/jVD3
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUWMvEw4UCoaoTbRwouInUac7tnZUwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMzA0MjAyOFoYDzIxMjYxMTA5
MDQyMDI4WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATzR5Zv1MFyfR/tBywiujwzt6fM80ZY2+Bt1IFmbikPena3P+usz+Gp
xf8deCtQkfQp1W7Nc00E+tWJQ72/jVD3o28wbTAdBgNVHQ4EFgQUFy4VPCgEFEw5
bUpAVrUbgZJs7V4wHwYDVR0jBBgwFoAUFy4VPCgEFEw5bUpAVrUbgZJs7V4wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSQAwRgIhAKz+FSPXVtTAbUdq6kVlxH3wmr7oiwLZkmtq6+A7KaoVAiEA
r94f1wGShd8PxE8gyoeHk2YYcMQQb8e5bJNBTf38d4U=
-----END CERTIFICATE-----
`,
};
