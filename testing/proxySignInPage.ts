/**
 * The page the mock server's `proxy-page` fault answers with (status 200, `text/html`): what an
 * authenticating proxy or a captive portal sends in place of the API's answer. Long enough that
 * the client sees only its start in an error.
 */
export const PROXY_SIGN_IN_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in - Example Corp web gateway</title></head>
<body>
<h1>Sign in to continue</h1>
<p>Your organisation requires you to sign in before you can reach external sites.</p>
<form method="post" action="/gateway/login">
<label>User name <input name="user"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button>
</form>
<p>${'Access to this site is monitored. '.repeat(20).trim()}</p>
</body>
</html>
`;
