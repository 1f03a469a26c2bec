// Uploads a disk image from the Images page straight to GGnet (streamed, with progress), outside the live page's connection.
window.ggnetUpload = {
  start: function (inputId, url, dotnet) {
    const input = document.getElementById(inputId);
    if (!input || !input.files || input.files.length === 0) {
      dotnet.invokeMethodAsync('Finished', 0, 'Choose a file first.');
      return;
    }
    const file = input.files[0];
    const request = new XMLHttpRequest();
    request.open('POST', url + '?fileName=' + encodeURIComponent(file.name));
    request.setRequestHeader('X-GGnet-Upload', '1');
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    let last = 0;
    request.upload.onprogress = function (e) {
      const now = Date.now();
      if (e.lengthComputable && (now - last > 250 || e.loaded === e.total)) {
        last = now;
        dotnet.invokeMethodAsync('Progress', e.loaded, e.total);
      }
    };
    request.onload = function () {
      let detail = '';
      try {
        const body = JSON.parse(request.responseText);
        detail = body.file || body.detail || (body.errors ? Object.values(body.errors).flat().join(' ') : '');
      } catch (e) {
        detail = request.statusText;
      }
      dotnet.invokeMethodAsync('Finished', request.status, detail);
    };
    request.onerror = function () { dotnet.invokeMethodAsync('Finished', 0, 'The upload was interrupted: check the connection and try again.'); };
    request.send(file);
  }
};
