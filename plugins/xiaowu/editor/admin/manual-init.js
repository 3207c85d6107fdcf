// admin.js registers xiaowu's format and preview first, then starts the CMS itself.
window.CMS_MANUAL_INIT = true;
