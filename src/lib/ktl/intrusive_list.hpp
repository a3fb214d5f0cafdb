// An intrusive doubly linked list: the links live in the elements (a
// ktl::list_node base class), so linking and unlinking never allocate and
// an element can take itself out in O(1) wherever it is. The list does not
// own its elements; an element is in at most one list per node base. A tag
// type gives an element several node bases, one for each list it can be in:
//
//     struct Slab : ktl::list_node<> { ... };
//     ktl::intrusive_list<Slab> partial;
//
//     struct Task : ktl::list_node<RunQueue>, ktl::list_node<AllTasks> { ... };
//     ktl::intrusive_list<Task, RunQueue> run_queue;
//
// Null-terminated rather than circular: an empty list is all zeros, so a
// list can live in constant-initialised storage and be moved by copying
// its three words. Locking is the owner's business.
#pragma once

#include "lib/ktl/types.hpp"

namespace ktl {

template <typename Tag = void>
struct list_node {
    list_node* prev = nullptr;
    list_node* next = nullptr;
};

template <typename T, typename Tag = void>
class intrusive_list {
    using Node = list_node<Tag>;

public:
    class iterator {
    public:
        iterator() = default;
        explicit iterator(Node* n) : node_(n) {}
        T& operator*() const { return *owner(node_); }
        T* operator->() const { return owner(node_); }
        iterator& operator++() {
            node_ = node_->next;
            return *this;
        }
        bool operator==(const iterator&) const = default;

    private:
        Node* node_ = nullptr;
    };

    constexpr intrusive_list() = default;

    [[nodiscard]] bool empty() const { return head_ == nullptr; }
    [[nodiscard]] usize size() const { return size_; }
    // The first and last elements; null when empty.
    [[nodiscard]] T* front() const { return head_ == nullptr ? nullptr : owner(head_); }
    [[nodiscard]] T* back() const { return tail_ == nullptr ? nullptr : owner(tail_); }
    // The neighbours of an element of this list; null at the ends.
    [[nodiscard]] T* next(T& element) const {
        Node* n = node(element).next;
        return n == nullptr ? nullptr : owner(n);
    }
    [[nodiscard]] T* prev(T& element) const {
        Node* n = node(element).prev;
        return n == nullptr ? nullptr : owner(n);
    }
    [[nodiscard]] iterator begin() const { return iterator(head_); }
    [[nodiscard]] iterator end() const { return iterator(); }

    // `element` must not be in a list through this node member.
    void push_front(T& element) { link_before(head_, &node(element)); }
    void push_back(T& element) { link_before(nullptr, &node(element)); }
    // Links `element` before `position` (an element of this list).
    void insert_before(T& position, T& element) { link_before(&node(position), &node(element)); }

    // `element` must be in this list.
    void remove(T& element) {
        Node* n = &node(element);
        (n->prev != nullptr ? n->prev->next : head_) = n->next;
        (n->next != nullptr ? n->next->prev : tail_) = n->prev;
        n->prev = n->next = nullptr;
        --size_;
    }
    T* pop_front() {
        T* first = front();
        if (first != nullptr) remove(*first);
        return first;
    }
    T* pop_back() {
        T* last = back();
        if (last != nullptr) remove(*last);
        return last;
    }

private:
    static Node& node(T& element) { return static_cast<Node&>(element); }
    static T* owner(Node* n) { return static_cast<T*>(n); }

    void link_before(Node* position, Node* n) {
        n->next = position;
        n->prev = position != nullptr ? position->prev : tail_;
        (n->prev != nullptr ? n->prev->next : head_) = n;
        (position != nullptr ? position->prev : tail_) = n;
        ++size_;
    }

    Node* head_ = nullptr;
    Node* tail_ = nullptr;
    usize size_ = 0;
};

}  // namespace ktl
