/* Passkeys (accounts/second_factor/passkeys.py): where the browser supports WebAuthn, shows the buttons
   « Ajouter une clé d'accès » and « Utiliser ma clé d'accès », asks the browser with the options the page
   carries (json_script), puts its answer in the form's hidden `credential` field and submits the form.
   Without JavaScript or WebAuthn, the buttons stay hidden and the page says so: the codes work as ever. */
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }

  function toBuffer(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, (character) => character.charCodeAt(0)).buffer;
  }

  function toText(buffer) {
    let binary = "";
    new Uint8Array(buffer).forEach((byte) => {
      binary += String.fromCharCode(byte);
    });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBuffers(options) {
    options.challenge = toBuffer(options.challenge);
    if (options.user) {
      options.user.id = toBuffer(options.user.id);
    }
    (options.excludeCredentials || []).concat(options.allowCredentials || []).forEach((descriptor) => {
      descriptor.id = toBuffer(descriptor.id);
    });
    return options;
  }

  function answer(credential) {
    const response = credential.response;
    const json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      json.response.attestationObject = toText(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(response.authenticatorData);
      json.response.signature = toText(response.signature);
      json.response.userHandle = response.userHandle ? toText(response.userHandle) : null;
    }
    return JSON.stringify(json);
  }

  document.querySelectorAll("[data-passkey-unsupported]").forEach((element) => {
    element.hidden = true;
  });
  document.querySelectorAll("[data-passkey-form]").forEach((form) => {
    form.hidden = false;
  });
  document.querySelectorAll("[data-passkey]").forEach((button) => {
    const form = button.closest("form");
    const status = form.querySelector("[data-passkey-status]");
    button.hidden = false;
    button.addEventListener("click", async () => {
      const options = withBuffers(JSON.parse(document.getElementById(button.dataset.passkeyOptions).textContent));
      status.textContent = "";
      button.disabled = true;
      try {
        const credential =
          button.dataset.passkey === "create"
            ? await navigator.credentials.create({ publicKey: options })
            : await navigator.credentials.get({ publicKey: options });
        form.querySelector("input[name=credential]").value = answer(credential);
        form.submit();
      } catch (error) {
        button.disabled = false;
        status.textContent =
          "La clé d'accès n'a pas répondu (opération annulée, expirée ou clé déjà enregistrée). Réessayez, ou utilisez un code.";
      }
    });
  });
})();
