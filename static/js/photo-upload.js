// Progressive enhancement of a listing's photo upload (listings/_photo_upload_form.html).
// Without this file the form shows one file field and one description per photo. With it, a
// drop area on top takes photos by drag and drop or from one "Choose photos" button, puts each
// into the next free file field of the same form, and shows its preview beside its
// description field. The form posts exactly what it posts without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-photo-upload]").forEach(enhance);
});

const PHOTO_NAME = /\.(jpe?g|png|webp|hei[cf])$/i;

function isPhoto(file) {
  return file.type.startsWith("image/") || PHOTO_NAME.test(file.name);
}

function enhance(form) {
  const template = form.querySelector("[data-photo-drop-template]");
  const slotList = form.querySelector("[data-photo-slots]");
  if (!template || !slotList || typeof DataTransfer === "undefined") {
    return;
  }
  const drop = template.content.firstElementChild.cloneNode(true);
  slotList.before(drop);
  const picker = drop.querySelector("[data-photo-picker]");
  const chooser = drop.querySelector("[data-photo-choose]");
  const status = drop.querySelector("[data-photo-status]");
  const slots = [...form.querySelectorAll("[data-photo-slot]")].map((element) => ({
    element,
    input: element.querySelector("input[type=file]"),
    description: element.querySelector("input:not([type=file]), textarea"),
    preview: element.querySelector("[data-photo-preview]"),
    image: element.querySelector("[data-photo-image]"),
    name: element.querySelector("[data-photo-name]"),
  }));
  form.classList.add("photo-upload--enhanced");

  const say = (text) => {
    // Emptied first, so the same words are announced again.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = text;
    }, 50);
  };

  // A slot shows when it holds a photo, or a description or an error from the server
  // (then with its own file field, as without JavaScript); empty slots wait hidden.
  const show = (slot) => {
    const file = slot.input.files[0];
    slot.image.removeAttribute("src");
    if (file) {
      // A data: URL, which the Content-Security-Policy allows for images (blob: it does not).
      const reader = new FileReader();
      reader.addEventListener("load", () => {
        if (slot.input.files[0] === file) {
          slot.image.src = reader.result;
        }
      });
      reader.readAsDataURL(file);
      slot.image.hidden = false;
      slot.name.textContent = file.name;
    }
    const waiting =
      !file && !slot.description.value.trim() && !slot.element.matches(".photo-slot--error");
    slot.preview.hidden = !file;
    slot.element.classList.toggle("photo-slot--filled", Boolean(file));
    slot.element.hidden = waiting;
  };

  const place = (files) => {
    const photos = [...files].filter(isPhoto);
    const refused = [...files].filter((file) => !isPhoto(file)).map((file) => file.name);
    const filled = [];
    for (const file of photos) {
      const free = slots.find((slot) => !slot.input.files.length);
      if (!free) {
        break;
      }
      const transfer = new DataTransfer();
      transfer.items.add(file);
      free.input.files = transfer.files;
      show(free);
      filled.push(free);
    }
    const messages = [];
    if (filled.length === 1) {
      messages.push(status.dataset.chosenOne);
    } else if (filled.length > 1) {
      messages.push(status.dataset.chosenMany.replace("%(count)s", filled.length));
    }
    if (filled.length < photos.length) {
      messages.push(status.dataset.full);
    }
    if (refused.length) {
      messages.push(status.dataset.notImages.replace("%(names)s", refused.join(", ")));
    }
    say(messages.join(" "));
    if (filled.length) {
      filled[0].description.focus();
    }
  };

  chooser.addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    place(picker.files);
    picker.value = "";
  });
  for (const slot of slots) {
    // A file chosen in a slot's own field (shown after a server error) gets its preview too.
    slot.input.addEventListener("change", () => show(slot));
    slot.image.addEventListener("error", () => {
      slot.image.hidden = true; // HEIC: most browsers cannot show it; the name stays.
    });
    slot.element.querySelector("[data-photo-remove]").addEventListener("click", () => {
      slot.input.value = "";
      slot.description.value = "";
      slot.element.classList.remove("photo-slot--error");
      show(slot);
      say(status.dataset.removed);
      chooser.focus();
    });
    show(slot);
  }

  ["dragenter", "dragover"].forEach((type) =>
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add("photo-drop--active");
    }),
  );
  ["dragleave", "drop"].forEach((type) =>
    drop.addEventListener(type, () => drop.classList.remove("photo-drop--active")),
  );
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      place(event.dataTransfer.files);
    }
  });
}
