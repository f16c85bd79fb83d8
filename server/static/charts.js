// A chart of the compare page as a PNG: the server's SVG of the chart (the link's own address) drawn on a canvas at
// twice its size on white, saved under the link's data-name. Without this script the link saves the SVG.
"use strict";
document.querySelectorAll("a.as-png").forEach((link) => {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const image = new Image();
    image.onload = () => {
      const scale = 2;
      const canvas = document.createElement("canvas");
      canvas.width = image.naturalWidth * scale;
      canvas.height = image.naturalHeight * scale;
      const context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => {
        const save = document.createElement("a");
        save.href = URL.createObjectURL(blob);
        save.download = link.dataset.name;
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(() => URL.revokeObjectURL(save.href), 10000);
      }, "image/png");
    };
    image.onerror = () => { window.location.href = link.href; };
    image.src = link.href;
  });
});
