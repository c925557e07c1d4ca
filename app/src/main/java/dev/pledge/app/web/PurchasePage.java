package dev.pledge.app.web;

import java.util.List;

/** One page of purchases, newest first; pass {@code nextCursor} as {@code cursor} for the next (null on the last). */
record PurchasePage(List<PurchaseView> purchases, String nextCursor) {
}
