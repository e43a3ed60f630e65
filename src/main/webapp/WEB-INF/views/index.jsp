<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" trimDirectiveWhitespaces="true" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="fn" uri="jakarta.tags.functions" %>
<%-- The chat page. IndexServlet sets: room, defaultRoom (the default room's name), user, lastId,
     historyJson, maxTextLength, nicknameError, signedIn and moderator (the container signed the visitor in: user
     is their account's name), guests (chat.guests: post, read or none) and here (this page's path, where the
     sign-in brings the visitor back to).
     session="false": showing the page never creates an HttpSession; only claiming a nickname does. --%>
<c:set var="contextPath" value="${pageContext.request.contextPath}"/>
<c:set var="maxLength" value="${empty maxTextLength ? 2000 : maxTextLength}"/>
<%-- A guest where guests may only read (or not even that) is offered the sign-in instead of the nickname form. --%>
<c:set var="signInFirst" value="${not signedIn and not empty guests and guests ne 'post'}"/>
<%-- Without a nickname (or after a rejected no-script POST) the page opens on the nickname form. --%>
<c:set var="needsNickname" value="${not signInFirst and (empty user or not empty nicknameError)}"/>
<c:set var="signInHref" value="${contextPath}/login?next=${empty here ? '/' : here}"/>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <%-- The default room keeps the title it had before rooms existed; any other names itself first. --%>
  <title><c:if test="${room ne defaultRoom}">#<c:out value="${room}"/> · </c:if>Chatroom</title>
  <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Cpath fill='%233b5bdb' d='M6 4h20a4 4 0 0 1 4 4v12a4 4 0 0 1-4 4H14l-7 5v-5H6a4 4 0 0 1-4-4V8a4 4 0 0 1 4-4z'/%3E%3C/svg%3E">
  <link rel="stylesheet" href="${fn:escapeXml(contextPath)}/static/chat.css">
  <%-- chat.js is an ES module importing one module per concern from static/js: no bundler, no build step. --%>
  <script type="module" src="${fn:escapeXml(contextPath)}/static/chat.js"></script>
  <%-- Without script the live chat cannot work: keep only the nickname form and say why. A stylesheet rather
       than an inline style, which the Content-Security-Policy (SecurityHeaders) does not allow. --%>
  <noscript><link rel="stylesheet" href="${fn:escapeXml(contextPath)}/static/noscript.css"></noscript>
</head>
<body data-context-path="${fn:escapeXml(contextPath)}"
      data-room="${fn:escapeXml(room)}"
      data-default-room="${fn:escapeXml(defaultRoom)}"
      data-user="${fn:escapeXml(user)}"
      data-signed-in="${signedIn ? 'true' : 'false'}"
      data-moderator="${moderator ? 'true' : 'false'}"
      data-guests="${fn:escapeXml(empty guests ? 'post' : guests)}"
      data-last-id="${fn:escapeXml(empty lastId ? 0 : lastId)}"
      data-max-length="${fn:escapeXml(maxLength)}">

<header class="topbar">
  <div class="brand">
    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d="M6 4h20a4 4 0 0 1 4 4v12a4 4 0 0 1-4 4H14l-7 5v-5H6a4 4 0 0 1-4-4V8a4 4 0 0 1 4-4z"/>
    </svg>
    <h1>Chatroom</h1>
    <p class="room-name" id="room-name"><span class="visually-hidden">Room </span>#<c:out value="${room}"/></p>
  </div>
  <p id="status" class="status idle" role="status" aria-live="polite">Not connected</p>
  <p class="me" id="me"<c:if test="${empty user}"> hidden</c:if>>
    <span class="me-label">You are</span>
    <strong id="me-name"><c:out value="${user}"/></strong>
    <c:if test="${signedIn}"><span class="signed-in-badge">signed in</span></c:if>
    <a href="#nickname-form" id="change-name"<c:if test="${signedIn}"> hidden</c:if>>change name</a>
  </p>
  <div class="account">
    <c:choose>
      <c:when test="${signedIn}">
        <form method="post" action="${fn:escapeXml(contextPath)}/logout">
          <button type="submit" id="sign-out" class="link">Sign out</button>
        </form>
      </c:when>
      <c:otherwise><a id="sign-in" href="${fn:escapeXml(signInHref)}">Sign in</a></c:otherwise>
    </c:choose>
  </div>
  <button type="button" id="notify" class="bell" aria-pressed="false" aria-label="Mention notifications" hidden>
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>
  </button>
</header>

<main class="layout">
  <noscript>
    <p class="noscript">Chatroom needs JavaScript for the live conversation. You can still choose your nickname below.</p>
  </noscript>

  <section id="nickname-panel" class="nickname-panel"<c:if test="${not needsNickname}"> hidden</c:if>>
    <form id="nickname-form" class="card" method="post" action="${fn:escapeXml(contextPath)}/index" novalidate>
      <h2 id="nickname-title">Join the conversation</h2>
      <p class="hint">Pick a name the others will see. 1 to 32 characters.</p>
      <label for="nickname">Nickname</label>
      <div class="field-row">
        <input name="user" id="nickname" type="text" maxlength="32" autocomplete="nickname"
               autocapitalize="off" spellcheck="false" required
               value="<c:out value="${user}"/>"
               aria-describedby="nickname-error">
        <button type="submit" id="nickname-submit" class="primary">Join</button>
      </div>
      <p id="nickname-error" class="field-error" role="alert"><c:out value="${nicknameError}"/></p>
      <button type="button" id="nickname-cancel" class="link" hidden>Cancel</button>
    </form>
  </section>

  <c:if test="${signInFirst and guests eq 'none'}">
    <section id="signin-prompt" class="nickname-panel signin-prompt">
      <div class="card">
        <h2>Sign in to chat</h2>
        <p class="hint">This room is open to people with an account only.</p>
        <a class="primary" href="${fn:escapeXml(signInHref)}">Sign in</a>
      </div>
    </section>
  </c:if>

  <section id="chat" class="chat" aria-label="Chat"<c:if test="${needsNickname or (signInFirst and guests eq 'none')}"> hidden</c:if>>
    <div class="conversation">
      <%-- A list (not role="log", which would hide the list items' semantics) that announces additions. Focusable,
           so keyboard users can scroll it. --%>
      <ol id="messages" class="messages" aria-live="polite" aria-relevant="additions" aria-label="Messages" tabindex="0"></ol>
      <button type="button" id="jump" class="jump" hidden>New messages &#8595;</button>
      <p id="notice" class="notice" role="status" aria-live="assertive" hidden></p>
      <%-- What the room's rules and a moderator's actions mean for this page (restriction-notices.js). Always in
           the DOM and empty when there is nothing to say: a live region announces changes only once it exists. --%>
      <div class="room-notes">
        <p id="rules-note" class="rules-note" role="status" aria-live="polite"></p>
        <div id="restriction" class="restriction">
          <p id="restriction-text" class="restriction-text" role="status" aria-live="polite"></p>
          <span class="restriction-action"></span>
        </div>
      </div>
      <c:if test="${signInFirst}">
        <p id="read-only" class="composer signin-prompt">
          <a class="primary" href="${fn:escapeXml(signInHref)}">Sign in to post</a>
        </p>
      </c:if>
      <form id="composer" class="composer" autocomplete="off"<c:if test="${signInFirst}"> hidden</c:if>>
        <input id="text" name="text" type="text" maxlength="${fn:escapeXml(maxLength)}"
               placeholder="Write a message&#8230;" aria-label="Message" enterkeyhint="send"
               aria-describedby="rules-note restriction-text">
        <span id="counter" class="counter" aria-live="polite" hidden></span>
        <button type="submit" id="send" class="primary">Send</button>
      </form>
    </div>
    <aside class="online" aria-labelledby="online-title">
      <h2 id="online-title">Online <span id="user-count" class="count"></span></h2>
      <%-- Focusable: on a phone it is a strip that scrolls sideways. --%>
      <ul id="users" class="users" tabindex="0" aria-labelledby="online-title"></ul>
      <nav class="rooms" aria-labelledby="rooms-title">
        <h2 id="rooms-title">Rooms</h2>
        <ul id="rooms" class="rooms-list"></ul>
        <form id="room-form" class="room-form" novalidate>
          <label for="room-input">Join or create a room</label>
          <div class="field-row">
            <input id="room-input" name="room" type="text" maxlength="32" autocomplete="off" autocapitalize="off"
                   spellcheck="false" placeholder="room-name" aria-describedby="room-error">
            <button type="submit" id="room-go">Go</button>
          </div>
          <p id="room-error" class="field-error" role="alert"></p>
        </form>
      </nav>
      <%-- Moderators only (the welcome says who is one): shown by moderation-panel.js. --%>
      <details id="moderation-panel" class="moderation" hidden>
        <summary>Moderation</summary>
        <p id="mod-status" class="mod-status" role="status" aria-live="polite"></p>
        <form id="mod-room-form" class="mod-room-form" novalidate>
          <h3>Room settings</h3>
          <label for="mod-slow">Slow mode: seconds between one person's messages (0: off)</label>
          <input id="mod-slow" name="slowModeSeconds" type="number" min="0" max="3600" step="1" value="0">
          <label class="check"><input id="mod-guests" name="guestsMayPost" type="checkbox" checked>
            Guests may post</label>
          <button type="submit">Save settings</button>
        </form>
        <h3 id="mod-bans-title">Bans</h3>
        <ul id="mod-bans" class="mod-list" aria-labelledby="mod-bans-title"></ul>
        <h3 id="mod-mutes-title">Mutes</h3>
        <ul id="mod-mutes" class="mod-list" aria-labelledby="mod-mutes-title"></ul>
        <h3 id="mod-audit-title">Audit</h3>
        <ol id="mod-audit" class="mod-list" aria-labelledby="mod-audit-title"></ol>
        <button type="button" id="mod-audit-more" class="link" hidden>Older entries</button>
        <button type="button" id="mod-refresh" class="link">Refresh</button>
      </details>
    </aside>
  </section>
</main>

<%-- A moderator's dialogs (moderation-tools.js): confirming a delete, and the actions on one person. --%>
<dialog id="delete-dialog" class="dialog" aria-labelledby="delete-title" aria-describedby="delete-what">
  <h2 id="delete-title">Delete this message?</h2>
  <p id="delete-what" class="hint"></p>
  <div class="dialog-buttons">
    <button type="button" id="delete-cancel">Cancel</button>
    <button type="button" id="delete-confirm" class="danger">Delete</button>
  </div>
</dialog>
<dialog id="user-dialog" class="dialog" aria-labelledby="user-dialog-title">
  <h2 id="user-dialog-title">Moderate <span id="user-dialog-name"></span></h2>
  <label for="mod-reason">Reason (they see it)</label>
  <input id="mod-reason" type="text" maxlength="200" autocomplete="off">
  <div class="mod-action">
    <button type="button" id="mod-kick">Kick</button>
    <span class="hint">Closes their connection; they may rejoin.</span>
  </div>
  <fieldset class="mod-action">
    <legend>Mute</legend>
    <label for="mod-mute-minutes">Minutes</label>
    <input id="mod-mute-minutes" type="number" min="1" step="1" value="10">
    <button type="button" id="mod-mute">Mute</button>
  </fieldset>
  <fieldset class="mod-action">
    <legend>Ban</legend>
    <label for="mod-ban-minutes">Minutes</label>
    <input id="mod-ban-minutes" type="number" min="1" step="1" value="60">
    <label class="check"><input id="mod-ban-forever" type="checkbox"> For good</label>
    <label class="check"><input id="mod-ban-address" type="checkbox"> Also their address</label>
    <button type="button" id="mod-ban" class="danger">Ban</button>
  </fieldset>
  <fieldset class="mod-action">
    <legend>Purge messages</legend>
    <label for="mod-purge-minutes">Their last minutes</label>
    <input id="mod-purge-minutes" type="number" min="1" step="1" value="10">
    <button type="button" id="mod-purge" class="danger">Purge</button>
  </fieldset>
  <p id="user-dialog-status" class="mod-status" role="status" aria-live="polite"></p>
  <div class="dialog-buttons">
    <button type="button" id="user-dialog-close">Close</button>
  </div>
</dialog>

<%-- historyJson is written raw on purpose: it is JSON that IndexServlet.forScriptElement has made safe for a
     script element (<, > and & escaped as \u003c, \u003e, \u0026), and c:out would turn its quotes into
     entities, which are not decoded inside <script>. A data block: no CSP executes it. This is the only
     unescaped output on the page. --%>
<script type="application/json" id="history">${historyJson}</script>
</body>
</html>
