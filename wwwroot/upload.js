// Uploads a disk image from the Images page straight to GGnet (streamed, with progress), outside the live page's
// connection. Resumable: GGnet keeps what arrived, so a broken connection (or the same file chosen again after a
// reload) continues from where the server stands instead of starting over.
window.ggnetUpload = {
  maxRetries: 5,

  start: async function (inputId, url, dotnet) {
    const input = document.getElementById(inputId);
    if (!input || !input.files || input.files.length === 0) {
      dotnet.invokeMethodAsync('Finished', 0, 'Choose a file first.');
      return;
    }
    const file = input.files[0];
    const query = '?fileName=' + encodeURIComponent(file.name) + '&size=' + file.size;
    let failures = 0;
    let received = -1;
    while (true) {
      const status = await this.request('GET', url + query, null);
      if (status.status === 200) {
        const before = received;
        received = status.body.receivedBytes;
        if (before >= 0 && received <= before) {
          failures++;
        }
        const sent = await this.request('POST', url + query + '&offset=' + received, file.slice(received), (loaded) =>
          dotnet.invokeMethodAsync('Progress', received + loaded, file.size));
        if (sent.status === 201) {
          dotnet.invokeMethodAsync('Finished', 201, sent.body.file);
          return;
        }
        if (sent.status !== 0 && sent.status !== 200 && !(sent.status === 409 && 'receivedBytes' in sent.body)) {
          dotnet.invokeMethodAsync('Finished', sent.status, this.detail(sent));
          return;
        }
        if (sent.status === 0) {
          failures++;
        }
      } else if (status.status !== 0) {
        dotnet.invokeMethodAsync('Finished', status.status, this.detail(status));
        return;
      } else {
        failures++;
      }
      if (failures > this.maxRetries) {
        dotnet.invokeMethodAsync('Finished', 0, 'The upload was interrupted ' + failures + ' times: check the connection, then choose the same file and upload again; it continues where it stopped.');
        return;
      }
      if (failures > 0) {
        dotnet.invokeMethodAsync('Retrying', failures, this.maxRetries);
        await new Promise((resume) => setTimeout(resume, 1000 * Math.min(8, 2 ** (failures - 1))));
      }
    }
  },

  // One request; resolves with its status (0 when the connection broke) and parsed body, never rejects.
  request: function (method, url, body, onProgress) {
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open(method, url);
      request.setRequestHeader('X-GGnet-Upload', '1');
      request.setRequestHeader('X-GGnet-Request', '1');
      request.setRequestHeader('X-GGnet-Request', '1');
      if (body) {
        request.setRequestHeader('Content-Type', 'application/octet-stream');
        let last = 0;
        request.upload.onprogress = function (e) {
          const now = Date.now();
          if (onProgress && (now - last > 250 || e.loaded === e.total)) {
            last = now;
            onProgress(e.loaded);
          }
        };
      }
      request.onload = function () {
        let parsed = {};
        try {
          parsed = JSON.parse(request.responseText);
        } catch (e) {
          parsed = { detail: request.statusText };
        }
        resolve({ status: request.status, body: parsed });
      };
      request.onerror = function () { resolve({ status: 0, body: {} }); };
      request.send(body);
    });
  },

  detail: function (response) {
    const body = response.body || {};
    return body.detail || (body.errors ? Object.values(body.errors).flat().join(' ') : '') || ('HTTP ' + response.status);
  }
};
