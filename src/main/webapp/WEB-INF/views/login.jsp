<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" trimDirectiveWhitespaces="true" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="fn" uri="jakarta.tags.functions" %>
<%-- The container's sign-in form (web.xml login-config): the container shows it in place of /login until the person
     has signed in, and again with ?failed=true after a wrong name or password. It posts to the container's
     j_security_check; the container checks the password against its realm and then lets /login through, which
     sends the person back to their room (LoginServlet). session="false": the container keeps its own session. --%>
<c:set var="contextPath" value="${pageContext.request.contextPath}"/>
<c:set var="failed" value="${param.failed eq 'true'}"/>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <meta name="robots" content="noindex">
  <%-- ASCII only: Jetty's forward to the form keeps the response's default charset, whatever the page says. --%>
  <title>Sign in &#183; Chatroom</title>
  <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Cpath fill='%233b5bdb' d='M6 4h20a4 4 0 0 1 4 4v12a4 4 0 0 1-4 4H14l-7 5v-5H6a4 4 0 0 1-4-4V8a4 4 0 0 1 4-4z'/%3E%3C/svg%3E">
  <link rel="stylesheet" href="${fn:escapeXml(contextPath)}/static/chat.css">
</head>
<body>

<header class="topbar">
  <div class="brand">
    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d="M6 4h20a4 4 0 0 1 4 4v12a4 4 0 0 1-4 4H14l-7 5v-5H6a4 4 0 0 1-4-4V8a4 4 0 0 1 4-4z"/>
    </svg>
    <p class="brand-name">Chatroom</p>
  </div>
  <p class="account"><a href="${fn:escapeXml(contextPath)}/">Back to the chat</a></p>
</header>

<main class="layout">
  <section class="signin-panel">
    <form id="signin-form" class="card signin-form" method="post"
          action="${fn:escapeXml(contextPath)}/j_security_check">
      <h1 id="signin-title">Sign in</h1>
      <p class="hint">With the account this server's operator gave you. You then chat under your account's name.</p>
      <p id="signin-error" class="field-error" role="alert"><c:if test="${failed}">That name and password do not
        match an account. Check both and try again.</c:if></p>
      <label for="username">Name</label>
      <div class="field-row">
        <input name="j_username" id="username" type="text" autocomplete="username" autocapitalize="off"
               spellcheck="false" required autofocus
               <c:if test="${failed}">aria-invalid="true" aria-describedby="signin-error"</c:if>>
      </div>
      <label for="password">Password</label>
      <div class="field-row">
        <input name="j_password" id="password" type="password" autocomplete="current-password" required
               <c:if test="${failed}">aria-invalid="true" aria-describedby="signin-error"</c:if>>
      </div>
      <button type="submit" id="signin-submit" class="primary">Sign in</button>
    </form>
  </section>
</main>
</body>
</html>
