/**
 * The chat feature: one-to-one and group conversations, messages with delivery states, receipts,
 * typing, edits, deletes, reactions and history, delivered exactly once (see {@link org.m800.sdk.chat.ChatManager}).
 */
@Version("1.2.0")
package org.m800.sdk.chat;

import org.osgi.annotation.versioning.Version;
