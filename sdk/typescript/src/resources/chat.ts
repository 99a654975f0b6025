/** Chat channels (web, generic, WhatsApp) and their conversations (issue 20). */
import type { RequestOptions, Transport } from "../http.js";
import type { PagePromise } from "../pagination.js";
import type { DataOf, ItemOf, QueryOf } from "../types.js";
import { Crud, Resource, apiPath } from "./base.js";

/** `create` answers a generic channel's signing secret once; `inbound_url` is where messages arrive. */
export class Channels extends Crud<"channels"> {
  constructor(transport: Transport) {
    super(transport, "channels");
  }

  /** Conversations, messages in and out, and runs started on the channel. */
  metrics(channelId: string, options?: RequestOptions): Promise<DataOf<"channels_metrics_retrieve">> {
    return this.getData(apiPath("channels", channelId, "metrics"), undefined, options);
  }
}

/** Conversations, filtered by channel, customer and status; `retrieve` has the messages. */
export class Conversations extends Resource {
  list(params: QueryOf<"conversations_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"conversations_list">> {
    return this.paginate(apiPath("conversations"), params, options);
  }

  retrieve(conversationId: string, options?: RequestOptions): Promise<DataOf<"conversations_retrieve">> {
    return this.getData(apiPath("conversations", conversationId), undefined, options);
  }
}
